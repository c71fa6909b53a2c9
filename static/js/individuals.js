// "Show more" under a statement's individuals: the next page of the paged list the
// "Show all" link leads to, fetched and its rows appended here. Focus moves to the first
// new row and the status line says how many came, for keyboard and screen-reader users.
// Without script the link alone stays, and leads to the paged list.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("[data-show-more]")) {
    const list = document.getElementById(box.dataset.showMore);
    const button = box.querySelector("[data-show-more-button]");
    const status = box.parentElement.querySelector("[data-show-more-status]");
    let next = new URL(box.querySelector("[data-show-more-next]").href);
    button.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      status.textContent = "";
      try {
        const response = await fetch(next);
        if (!response.ok) throw new Error(response.statusText);
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const rows = [...page.querySelectorAll("[data-individuals] > li")].map((row) =>
          list.appendChild(document.importNode(row, true)),
        );
        // Relative to the page it came from, not to this one.
        const more = page.querySelector("a[rel=next]");
        if (more) {
          next = new URL(more.getAttribute("href"), next);
        } else {
          box.hidden = true; // all shown: nothing left to show or to link to
        }
        if (rows.length) {
          rows[0].tabIndex = -1;
          rows[0].focus();
        }
        status.textContent = interpolate(
          ngettext("%s more individual shown.", "%s more individuals shown.", rows.length),
          [rows.length],
        );
      } catch {
        status.textContent = gettext("Could not load more: follow the link to see them all.");
      } finally {
        button.disabled = false;
      }
    });
  }
});
