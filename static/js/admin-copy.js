// "Copy the code" buttons in the admin: copy the named field's text to the clipboard.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector("[data-copy-status]");
    button.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = "Copied.";
      } catch {
        // No clipboard access (an http:// address other than localhost): the text stays selected.
        status.textContent = "Press Ctrl+C (⌘C on a Mac) to copy the selected code.";
      }
    });
  }
});
