// Rows of the admin's sortable inlines (fieldset.sortable): staff drag a row by its
// handle, or move it with its buttons, and the hidden position boxes are numbered in the
// order the rows stand when the form is sent. The labels come from the page, translated.
document.addEventListener("DOMContentLoaded", () => {
  const labels = document.getElementById("sortable-labels")?.dataset ?? {};
  const rowsOf = (tbody) => [...tbody.querySelectorAll(":scope > tr.form-row:not(.empty-form)")];

  const button = (text, className, move) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    element.addEventListener("click", () => move(element.closest("tr")));
    return element;
  };

  const equip = (row) => {
    const cell = row.querySelector("td.original");
    if (!cell || cell.querySelector(".sort-controls")) return;
    const controls = document.createElement("span");
    controls.className = "sort-controls";
    const handle = document.createElement("span");
    handle.className = "sort-handle";
    handle.textContent = "⠿";
    handle.title = labels.drag || "";
    handle.setAttribute("aria-hidden", "true");
    // The row is draggable only from its handle, so text in its boxes stays selectable.
    handle.addEventListener("pointerdown", () => { row.draggable = true; });
    controls.append(
      handle,
      button("↑", "sort-up", (r) => {
        const before = r.previousElementSibling;
        if (before) r.parentNode.insertBefore(r, before);
      }),
      button("↓", "sort-down", (r) => {
        const after = r.nextElementSibling;
        if (after && !after.classList.contains("empty-form")) r.parentNode.insertBefore(after, r);
      }),
    );
    controls.querySelector(".sort-up").setAttribute("aria-label", labels.up || "Move up");
    controls.querySelector(".sort-down").setAttribute("aria-label", labels.down || "Move down");
    cell.prepend(controls);
  };

  for (const tbody of document.querySelectorAll("fieldset.sortable tbody")) {
    rowsOf(tbody).forEach(equip);
    let dragged = null;
    tbody.addEventListener("dragstart", (event) => {
      dragged = event.target.closest("tr");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      dragged.classList.add("dragging");
    });
    tbody.addEventListener("dragover", (event) => {
      const over = event.target.closest("tr.form-row");
      if (!dragged || !over || over.classList.contains("empty-form")) return;
      event.preventDefault();
      if (over === dragged) return;
      const box = over.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      tbody.insertBefore(dragged, after ? over.nextElementSibling : over);
    });
    tbody.addEventListener("drop", (event) => event.preventDefault());
    tbody.addEventListener("dragend", () => {
      if (!dragged) return;
      dragged.classList.remove("dragging");
      dragged.draggable = false;
      dragged = null;
    });
  }

  // A row added with "Add another" gets its handle and buttons too.
  document.addEventListener("formset:added", (event) => {
    if (event.target.closest("fieldset.sortable")) equip(event.target);
  });

  // Numbered as they stand; a new row left empty keeps no number, so it stays unsent.
  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("submit", () => {
      for (const tbody of form.querySelectorAll("fieldset.sortable tbody")) {
        let position = 0;
        for (const row of rowsOf(tbody)) {
          const box = row.querySelector('input[type="hidden"][name$="-position"]');
          if (!box) continue;
          const typed = [...row.querySelectorAll('input[type="text"], input[type="email"], select')]
            .some((field) => field.value);
          if (!row.classList.contains("has_original") && !typed) continue;
          box.value = position++;
        }
      }
    });
  }
});
