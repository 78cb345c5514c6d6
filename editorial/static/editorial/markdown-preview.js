// Live preview of Markdown bodies in the admin, rendered by the server with the same code
// the API uses (editorial/markdown.py), so what the editor sees is what readers get.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[id$='_form']");
  if (!form) return;
  const csrf = form.querySelector("input[name='csrfmiddlewaretoken']");
  for (const textarea of form.querySelectorAll("textarea#id_body, textarea#id_answer")) {
    const preview = document.createElement("div");
    preview.className = "markdown-preview";
    preview.setAttribute("aria-live", "polite");
    preview.style.cssText = "border:1px solid var(--hairline-color);padding:0 1em;margin-top:.5em;max-height:30em;overflow:auto";
    textarea.closest(".form-row, .fieldBox, div").appendChild(preview);
    let timer = null;
    const render = async () => {
      const body = new URLSearchParams({ text: textarea.value });
      const response = await fetch(form.dataset.markdownPreviewUrl || "/admin/editorial/markdown-preview/", {
        method: "POST",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        body,
        credentials: "same-origin",
      });
      if (response.ok) preview.innerHTML = (await response.json()).html;
    };
    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(render, 300);
    });
    render();
  }
});
