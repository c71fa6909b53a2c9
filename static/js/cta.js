// "Copy message" puts a call to action's suggested message on the clipboard.
// Without JavaScript or the Clipboard API the button stays hidden, and the
// message can still be selected in its box and copied by hand.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy-from]")) {
    const message = document.getElementById(button.dataset.copyFrom);
    const status = document.getElementById(button.dataset.copyStatus);
    button.hidden = false;
    button.addEventListener("click", async () => {
      // Emptied first, so a second copy is announced again.
      status.textContent = "";
      try {
        await navigator.clipboard.writeText(message.value);
        status.textContent = gettext("Copied");
      } catch {
        message.select();
        status.textContent = gettext(
          "Copying was refused: the message is selected, copy it by hand.",
        );
      }
    });
  }
});
