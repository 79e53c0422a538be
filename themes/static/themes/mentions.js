// @-mention autocomplete for every post and comment textarea (progressive enhancement:
// without this script, "@name" is plain text the server links when the post is saved).
// ARIA combobox pattern: the textarea is the combobox, a listbox of usernames below it;
// ArrowDown/ArrowUp move, Enter or Tab picks, Escape closes.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-suggest-url");
  if (!url) return;
  var counter = 0;

  function mentionAt(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = /(^|[^\w@.+-])@([\w.+-]{1,30})$/.exec(before);
    return match ? { prefix: match[2], start: before.length - match[2].length } : null;
  }

  function enhance(textarea) {
    if (textarea.dataset.mentions) return;
    textarea.dataset.mentions = "1";
    var id = "mention-list-" + ++counter;
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    // The editor stays a multi-line textbox (a combobox is single-line to screen
    // readers); aria-autocomplete, aria-controls and aria-activedescendant are allowed on it.
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", id);
    var active = -1, current = null, timer = null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
        textarea.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (options[index]) textarea.setAttribute("aria-activedescendant", options[index].id);
    }
    function pick(username) {
      if (!current) return;
      var value = textarea.value, end = textarea.selectionStart;
      textarea.value = value.slice(0, current.start) + username + " " + value.slice(end);
      var caret = current.start + username.length + 1;
      textarea.setSelectionRange(caret, caret);
      close();
      textarea.focus();
    }
    function show(members) {
      list.innerHTML = "";
      if (!members.length) return close();
      members.forEach(function (m, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = "@" + m.username + (m.display_name ? " (" + m.display_name + ")" : "");
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(m.username); });
        li.dataset.username = m.username;
        list.appendChild(li);
      });
      list.hidden = false;
      highlight(0);
    }
    textarea.addEventListener("input", function () {
      current = mentionAt(textarea);
      clearTimeout(timer);
      if (!current) return close();
      var prefix = current.prefix;
      timer = setTimeout(function () {
        fetch(url + "?prefix=" + encodeURIComponent(prefix), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { members: [] }; })
          .then(function (data) { if (current && current.prefix === prefix) show(data.members); })
          .catch(close);
      }, 150);
    });
    textarea.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      var options = list.querySelectorAll("[role=option]");
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % options.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight((active - 1 + options.length) % options.length); }
      else if ((e.key === "Enter" || e.key === "Tab") && options[active]) { e.preventDefault(); pick(options[active].dataset.username); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function scan(root) {
    root.querySelectorAll('textarea[name="body"]').forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSwap", function (e) { scan(e.target); });
})();
