// The archive's organization filter suggests organizations with a public statement as
// the reader types, from the co-sign form's suggestions, and sends the chosen one's slug
// (the address of the filtered list). Without the script, the name typed is sent and the
// server looks it up.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-organization-suggest]");
  if (!form) return;
  const box = form.querySelector("#id_organization");
  const list = form.querySelector("#archive-organizations");
  if (!box || !list) return;
  let found = [];
  let timer;

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const query = box.value.trim();
      if (query.length < 2) return;
      const url = `${form.dataset.organizationSuggest}?public=1&q=${encodeURIComponent(query)}`;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        found = (await response.json()).organizations;
      } catch {
        return; // Suggestions are a convenience; the filter works without them.
      }
      list.replaceChildren(
        ...found.map((o) => {
          const option = document.createElement("option");
          option.value = o.name;
          option.label = [o.short_name, o.country].filter(Boolean).join(" · ");
          return option;
        }),
      );
    }, 200);
  });

  // The name stays in the box; a hidden field carries the slug in its place.
  form.addEventListener("submit", () => {
    const typed = box.value.trim().toLowerCase();
    const match = found.find((o) => o.name.toLowerCase() === typed);
    if (!match) return;
    const slug = document.createElement("input");
    slug.type = "hidden";
    slug.name = box.name;
    slug.value = match.slug;
    box.removeAttribute("name");
    form.append(slug);
  });
  // Back to this page from the results: the box is the field again.
  window.addEventListener("pageshow", () => {
    box.name = "organization";
    for (const hidden of form.querySelectorAll("input[type=hidden][name=organization]")) {
      hidden.remove();
    }
  });
});
