// "Copy link" puts the page's public address on the clipboard. Without script, or
// where the Clipboard API is missing (plain http:// other than localhost), the
// button stays hidden and the address waits in its field to be selected.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const box of document.querySelectorAll("[data-share-copy]")) {
    const button = box.querySelector("button[data-copy]");
    const field = document.getElementById(button.dataset.copy);
    const status = box.querySelector("[role=status]");
    button.hidden = false;
    button.addEventListener("click", async () => {
      status.textContent = "";
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = gettext("Link copied");
      } catch {
        field.select();
        status.textContent = gettext(
          "Could not copy: the link is selected, copy it from the field.",
        );
      }
    });
  }
});
