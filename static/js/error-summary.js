// After a failed submit the error summary is read first: the focus moves to it, and each
// of its links moves the focus to the field it is about (a link to an id only scrolls).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.hash.slice(1));
    if (!field) return;
    event.preventDefault();
    // The label comes into view with the field, not just the box.
    (field.labels?.[0] ?? field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
});
