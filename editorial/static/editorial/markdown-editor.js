// The admin's Markdown editor (editorial/widgets.py): a toolbar over the textarea, pickers for
// links, entries and images, and a live preview rendered by the server with the same code the
// API uses (editorial/markdown.py), so what the editor sees is what readers get.
// The textarea stays the form's field: without this script the form works as before.
"use strict";

(() => {
  const make = (tag, props = {}, children = []) => {
    const element = Object.assign(document.createElement(tag), props);
    element.append(...children);
    return element;
  };

  // Replace the selection, keeping the browser's undo history where it can.
  const replaceSelection = (textarea, text, selectStart, selectEnd) => {
    const start = textarea.selectionStart;
    textarea.focus();
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(start + (selectStart ?? text.length), start + (selectEnd ?? text.length));
  };

  // Wrap the selection in a marker (** or _); unwrap it if it is wrapped already.
  const toggleWrap = (textarea, marker, placeholder) => {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const selected = value.slice(start, end);
    const before = value.slice(start - marker.length, start);
    const after = value.slice(end, end + marker.length);
    if (selected && before === marker && after === marker) {
      textarea.setSelectionRange(start - marker.length, end + marker.length);
      replaceSelection(textarea, selected, 0, selected.length);
      return;
    }
    const inner = selected || placeholder;
    replaceSelection(textarea, marker + inner + marker, marker.length, marker.length + inner.length);
  };

  // Give each selected line a prefix ("## ", "- ", "1. "); remove it if every line has it.
  const toggleLinePrefix = (textarea, prefixFor, pattern) => {
    const { value } = textarea;
    const start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    let end = value.indexOf("\n", textarea.selectionEnd);
    if (end === -1) end = value.length;
    const lines = value.slice(start, end).split("\n");
    const all = lines.every((line, index) => line.startsWith(prefixFor(index)));
    const changed = lines.map((line, index) =>
      all ? line.slice(prefixFor(index).length) : prefixFor(index) + line.replace(pattern, ""),
    );
    textarea.setSelectionRange(start, end);
    const text = changed.join("\n");
    replaceSelection(textarea, text, text.length, text.length);
  };

  const insertLink = (textarea, url, fallbackText) => {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const text = value.slice(start, end) || fallbackText || "link text";
    replaceSelection(textarea, `[${text}](${url})`, 1, 1 + text.length);
  };

  const fetchJson = async (url) => {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      const error = new Error(`HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return response.json();
  };

  class MarkdownEditor {
    constructor(textarea) {
      this.textarea = textarea;
      this.panel = make("div", { className: "md-panel", hidden: true });
      this.preview = make("div", { className: "markdown-preview md-reader" });
      this.preview.setAttribute("aria-live", "polite");
      this.toolbar = make("div", { className: "md-toolbar" }, this.buttons());
      this.toolbar.setAttribute("role", "toolbar");
      this.toolbar.setAttribute("aria-label", "Formatting");
      const wrapper = make("div", { className: "md-editor" });
      textarea.replaceWith(wrapper);
      wrapper.append(
        this.toolbar,
        this.panel,
        textarea,
        make("p", { className: "md-preview-label", textContent: "Preview, as readers will see it" }),
        this.preview,
      );
      textarea.addEventListener("keydown", (event) => this.shortcut(event));
      this.panel.addEventListener("keydown", (event) => {
        if (event.key === "Escape") this.closePanel();
      });
      let timer = null;
      textarea.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => this.render(), 300);
      });
      this.render();
    }

    buttons() {
      const t = this.textarea;
      const button = (label, title, action, name) => {
        const element = make("button", { type: "button", textContent: label, title, className: `md-${name}` });
        element.setAttribute("aria-label", title);
        element.addEventListener("click", action);
        return element;
      };
      const heading = (level) => () => toggleLinePrefix(t, () => `${"#".repeat(level)} `, /^#{1,6}\s+/);
      return [
        button("H2", "Heading", heading(2), "h2"),
        button("H3", "Subheading", heading(3), "h3"),
        button("B", "Bold (Ctrl+B)", () => toggleWrap(t, "**", "bold text"), "bold"),
        button("I", "Italic (Ctrl+I)", () => toggleWrap(t, "_", "italic text"), "italic"),
        button("• List", "Bulleted list", () => toggleLinePrefix(t, () => "- ", /^\s*([-*+]|\d+\.)\s+/), "ul"),
        button("1. List", "Numbered list", () => toggleLinePrefix(t, (i) => `${i + 1}. `, /^\s*([-*+]|\d+\.)\s+/), "ol"),
        button("Link", "Link to a web address (Ctrl+K)", () => this.openLinkPanel(), "link"),
        button("Internal link", "Link to another entry", () => this.openEntryPanel(), "entry-link"),
        button("Image", "Insert an image from the library", () => this.openImagePanel(), "image"),
      ];
    }

    shortcut(event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const actions = {
        b: () => toggleWrap(this.textarea, "**", "bold text"),
        i: () => toggleWrap(this.textarea, "_", "italic text"),
        k: () => this.openLinkPanel(),
      };
      const action = actions[event.key.toLowerCase()];
      if (action) {
        event.preventDefault();
        action();
      }
    }

    async render() {
      const csrf = this.textarea.form?.querySelector("input[name='csrfmiddlewaretoken']");
      try {
        const response = await fetch(this.textarea.dataset.previewUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrf ? csrf.value : "" },
          body: new URLSearchParams({ text: this.textarea.value }),
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        // Sanitised by the server (nh3), as the API serves it.
        this.preview.innerHTML = (await response.json()).html;
      } catch (error) {
        this.preview.replaceChildren(make("p", { className: "md-message", textContent: `Preview unavailable (${error.message}).` }));
      }
    }

    // Show a panel under the toolbar: a heading, controls, and a close button.
    showPanel(title, ...children) {
      const close = make("button", { type: "button", className: "md-close", textContent: "Close" });
      close.addEventListener("click", () => this.closePanel());
      this.panel.replaceChildren(make("div", { className: "md-panel-head" }, [make("strong", { textContent: title }), close]), ...children);
      this.panel.hidden = false;
    }

    closePanel() {
      this.panel.hidden = true;
      this.panel.replaceChildren();
      this.textarea.focus();
    }

    openLinkPanel() {
      const url = make("input", { type: "url", className: "md-url", placeholder: "https://…" });
      url.setAttribute("aria-label", "Web address");
      const insert = make("button", { type: "button", className: "md-insert", textContent: "Insert link" });
      const message = make("p", { className: "md-message" });
      const submit = () => {
        const value = url.value.trim();
        if (!/^(https?:\/\/|mailto:|tel:|\/)/.test(value)) {
          message.textContent = "Give an address starting with https://, http://, mailto:, tel: or /.";
          return;
        }
        this.closePanel();
        insertLink(this.textarea, value);
      };
      insert.addEventListener("click", submit);
      url.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          submit();
        }
      });
      this.showPanel("Link", make("div", { className: "md-row" }, [url, insert]), message);
      url.focus();
    }

    openEntryPanel() {
      const search = make("input", { type: "search", className: "md-search", placeholder: "Search entries by title" });
      search.setAttribute("aria-label", "Search entries by title");
      const list = make("ul", { className: "md-choices" });
      const message = make("p", { className: "md-message", textContent: "Loading…" });
      let timer = null;
      let latest = 0;
      const load = async () => {
        const asked = ++latest;
        const url = new URL(this.textarea.dataset.linkTargetsUrl, window.location.href);
        url.searchParams.set("q", search.value.trim());
        try {
          const { results } = await fetchJson(url);
          if (asked !== latest) return;
          message.textContent = results.length ? "" : "No entries match.";
          list.replaceChildren(...results.map((entry) => this.entryChoice(entry)));
        } catch (error) {
          if (asked !== latest) return;
          list.replaceChildren();
          message.textContent = `Could not load entries (${error.message}).`;
        }
      };
      search.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(load, 250);
      });
      search.addEventListener("keydown", (event) => {
        if (event.key === "Enter") event.preventDefault();
      });
      this.showPanel("Internal link", search, message, list);
      search.focus();
      load();
    }

    entryChoice(entry) {
      const choice = make("button", { type: "button", className: "md-choice" }, [
        make("span", { className: "md-choice-title", textContent: entry.title }),
        make("span", { className: "md-choice-meta", textContent: ` ${entry.type_label} · ${entry.path}${entry.status === "published" ? "" : ` · ${entry.status.replace("_", " ")}`}` }),
      ]);
      choice.addEventListener("click", () => {
        this.closePanel();
        insertLink(this.textarea, entry.path, entry.title);
      });
      return make("li", {}, [choice]);
    }

    openImagePanel() {
      const list = make("ul", { className: "md-choices md-images" });
      const message = make("p", { className: "md-message", textContent: "Loading…" });
      const more = make("button", { type: "button", className: "md-more", textContent: "More images", hidden: true });
      const load = async (url) => {
        more.hidden = true;
        try {
          const page = await fetchJson(url);
          const images = page.results || [];
          list.append(...images.map((image) => this.imageChoice(image)));
          message.textContent = list.children.length ? "" : "No images yet: upload one to the image library first.";
          if (page.next) {
            more.hidden = false;
            more.onclick = () => load(page.next);
          }
        } catch (error) {
          message.textContent =
            error.status === 404
              ? "No image library on this server yet, so there are no images to insert."
              : `Could not load images (${error.message}).`;
        }
      };
      this.showPanel("Insert image", message, list, more);
      load(this.textarea.dataset.imagesUrl);
    }

    imageChoice(image) {
      const alt = image.alt_text || "";
      const smallest = [...(image.renditions || [])].sort((a, b) => a.width - b.width)[0];
      const thumb = make("img", { src: (smallest || image).url, alt: "", loading: "lazy", width: 64 });
      const choice = make("button", { type: "button", className: "md-choice" }, [
        thumb,
        make("span", { className: "md-choice-title", textContent: alt || "(decorative)" }),
        make("span", { className: "md-choice-meta", textContent: ` ${image.slug}` }),
      ]);
      choice.addEventListener("click", () => {
        this.closePanel();
        const text = `![${alt.replace(/[[\]]/g, "")}](image:${image.slug})`;
        replaceSelection(this.textarea, text);
      });
      return make("li", {}, [choice]);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const textarea of document.querySelectorAll("textarea.markdown-editor")) {
      new MarkdownEditor(textarea);
    }
  });
})();
