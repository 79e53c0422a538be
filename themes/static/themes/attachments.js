/* Images on the ask, answer and edit forms: paste, drag-and-drop, previews and a
   description per image. The forms work without this file: a plain file input sends the
   images with the form. This script keeps that input: pasted and dropped files are added
   to its file list (DataTransfer), so the form still sends them in the same field, and
   each preview adds a text input "image_alts" in the same order as the files. Its words
   come from the template's data-text-* attributes, so they are translated with the page. */
(function () {
  "use strict";

  var ACCEPTED = ["image/png", "image/jpeg", "image/webp", "image/gif"];

  function format(text, number) {
    return text.replace(/%\((number|count)\)d/g, String(number));
  }

  function canSetFiles() {
    try {
      return typeof DataTransfer === "function" && !!new DataTransfer().items;
    } catch (error) {
      return false;
    }
  }

  function setUp(field) {
    if (field.hasAttribute("data-images-ready")) {
      return;
    }
    field.setAttribute("data-images-ready", "");
    var input = field.querySelector("input[type=file]");
    var previews = field.querySelector("[data-images-previews]");
    var message = field.querySelector("[data-images-message]");
    var form = field.closest("form");
    if (!input || !previews || !form || !canSetFiles()) {
      return; // the plain file input still works
    }
    var max = parseInt(field.getAttribute("data-max"), 10) || 0;
    var maxBytes = parseInt(field.getAttribute("data-max-bytes"), 10) || 0;
    var text = function (name) {
      return field.getAttribute("data-text-" + name) || "";
    };
    var items = []; // {file, url, alt}

    field.querySelector("[data-images-drop]").hidden = false;

    function say(words) {
      message.textContent = words;
      message.hidden = !words;
    }

    function sync() {
      var transfer = new DataTransfer();
      items.forEach(function (item) {
        transfer.items.add(item.file);
      });
      input.files = transfer.files;
    }

    function render() {
      previews.textContent = "";
      items.forEach(function (item, index) {
        var number = index + 1;
        var li = document.createElement("li");
        li.className = "images-previews__item";
        var img = document.createElement("img");
        img.src = item.url;
        img.alt = "";
        var label = document.createElement("label");
        var id = input.id + "-alt-" + number;
        label.htmlFor = id;
        label.textContent = format(text("description"), number);
        var alt = document.createElement("input");
        alt.type = "text";
        alt.name = "image_alts";
        alt.id = id;
        alt.maxLength = 200;
        alt.placeholder = format(text("default"), number);
        alt.value = item.alt;
        alt.addEventListener("input", function () {
          item.alt = alt.value;
        });
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button button--small button--quiet";
        remove.textContent = text("remove");
        remove.setAttribute("aria-label", text("remove") + " " + format(text("default"), number));
        remove.addEventListener("click", function () {
          URL.revokeObjectURL(item.url);
          items.splice(index, 1);
          sync();
          render();
          input.focus();
        });
        var fields = document.createElement("div");
        fields.className = "images-previews__fields";
        fields.appendChild(label);
        fields.appendChild(alt);
        fields.appendChild(remove);
        li.appendChild(img);
        li.appendChild(fields);
        previews.appendChild(li);
      });
    }

    function add(files) {
      var refused = "";
      Array.prototype.forEach.call(files, function (file) {
        if (ACCEPTED.indexOf(file.type) < 0) {
          refused = text("not-image");
        } else if (maxBytes && file.size > maxBytes) {
          refused = text("too-large");
        } else if (items.length >= max) {
          refused = format(text("too-many"), max);
        } else {
          items.push({ file: file, url: URL.createObjectURL(file), alt: "" });
        }
      });
      say(refused);
      sync();
      render();
    }

    // The chooser replaces the input's files; keep those chosen before and add these.
    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files);
      add(chosen);
    });

    form.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data || !data.files || !data.files.length) {
        return;
      }
      var images = Array.prototype.filter.call(data.files, function (file) {
        return file.type.indexOf("image/") === 0;
      });
      if (images.length) {
        event.preventDefault(); // a pasted screenshot is an image, not text
        add(images);
      }
    });

    ["dragenter", "dragover"].forEach(function (name) {
      field.addEventListener(name, function (event) {
        if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
          event.preventDefault();
          field.classList.add("field--dragging");
        }
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      field.addEventListener(name, function () {
        field.classList.remove("field--dragging");
      });
    });
    field.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        event.preventDefault();
        add(event.dataTransfer.files);
      }
    });

    // After the form went (htmx swaps in a fresh one), forget the previews' object URLs.
    form.addEventListener("htmx:afterRequest", function () {
      items.forEach(function (item) {
        URL.revokeObjectURL(item.url);
      });
    });
  }

  function setUpAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("[data-images]"), setUp);
    if (scope !== document && scope.matches && scope.matches("[data-images]")) {
      setUp(scope);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUpAll(document);
    });
  } else {
    setUpAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target);
  });
})();
