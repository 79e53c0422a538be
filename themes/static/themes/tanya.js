/* Tanya's few behaviours. The site works without this file: it adds the light/dark
   toggle and the phone header's search toggle, closes the phone menu with Escape, tells
   screen readers what an htmx update changed, and puts keyboard focus back somewhere
   sensible when an update replaced the focused button. Its only words
   come from the templates (data-announce, the button's label), so they are translated
   with the rest of the page. */
(function () {
  "use strict";

  var root = document.documentElement;
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var YEAR = 60 * 60 * 24 * 365;

  // --- Light and dark ------------------------------------------------------------------

  function isDark() {
    var mode = root.getAttribute("data-theme");
    return mode === "dark" || (mode !== "light" && !!darkQuery && darkQuery.matches);
  }

  // What the page shows with no choice remembered: the site's default mode, with "auto"
  // resolved by the device.
  function defaultMode() {
    var mode = root.getAttribute("data-theme-default") || "auto";
    if (mode === "auto") {
      return darkQuery && darkQuery.matches ? "dark" : "light";
    }
    return mode;
  }

  function remember(mode) {
    try {
      window.localStorage.setItem("theme", mode);
    } catch (error) {
      // Storage can be blocked; the cookie below still carries the choice.
    }
    // The server reads the cookie and renders data-theme, so the next page is right
    // from its first paint.
    document.cookie = "theme=" + mode + "; path=/; max-age=" + YEAR + "; samesite=lax";
  }

  function forget() {
    try {
      window.localStorage.removeItem("theme");
    } catch (error) {
      // Nothing was stored, then.
    }
    document.cookie = "theme=; path=/; max-age=0; samesite=lax";
  }

  // The header's toggle and, on phones, the menu's: the same choice, so both say it.
  function setUpThemeToggle() {
    var buttons = document.querySelectorAll("[data-theme-toggle]");
    if (!buttons.length) {
      return;
    }
    var sync = function () {
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].setAttribute("aria-pressed", isDark() ? "true" : "false");
      }
    };
    var toggle = function () {
      var mode = isDark() ? "light" : "dark";
      if (mode === defaultMode()) {
        // Back to what the site and the device would show anyway: forget the choice, so
        // "auto" follows the device again (say, when it turns dark at night).
        root.setAttribute("data-theme", root.getAttribute("data-theme-default") || "auto");
        forget();
      } else {
        root.setAttribute("data-theme", mode);
        remember(mode);
      }
      sync();
    };
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", toggle);
    }
    if (darkQuery && darkQuery.addEventListener) {
      darkQuery.addEventListener("change", sync);
    }
    sync();
  }

  // --- The phone header: search toggle and menu ---------------------------------------

  // The toggle is a link to the search page; here it opens the header's box instead
  // (tanya.css shows the box while the header has site-header--searching).
  function setUpSearchToggle() {
    var toggle = document.querySelector("[data-search-toggle]");
    var header = toggle && toggle.closest(".site-header");
    var input = document.getElementById("site-search-q");
    if (!toggle || !header || !input) {
      return;
    }
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-expanded", "false");
    var show = function (open) {
      header.classList.toggle("site-header--searching", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      var open = toggle.getAttribute("aria-expanded") !== "true";
      show(open);
      if (open) {
        input.focus();
      }
    });
    toggle.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        toggle.click();
      }
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        show(false);
        toggle.focus();
      }
    });
  }

  // The menu is a <details>, so it opens without this; here Escape and a tap elsewhere
  // close it, as a menu should.
  function setUpMenu() {
    var menu = document.querySelector(".site-menu");
    if (!menu) {
      return;
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  }

  function setUp() {
    setUpThemeToggle();
    setUpSearchToggle();
    setUpMenu();
  }

  // --- After htmx swaps ----------------------------------------------------------------

  var lastAnnounced = null;

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) {
      return;
    }
    // Empty first, then fill: the same words twice in a row are still read out.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 60);
  }

  function swappedIn(event) {
    // An outerHTML swap replaces its target, so look the new one up by id.
    var target = event.detail && event.detail.target;
    if (target && target.isConnected) {
      return target;
    }
    return target && target.id ? document.getElementById(target.id) : null;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var fresh = swappedIn(event);
    if (!fresh) {
      return;
    }
    var source = fresh.matches("[data-announce]") ? fresh : fresh.querySelector("[data-announce]");
    if (source && source !== lastAnnounced) {
      lastAnnounced = source;
      announce(source.getAttribute("data-announce"));
    }
    // htmx refocuses a replaced element that has an id (vote and accept buttons do).
    // When the focused button is simply gone, focus the updated region instead of
    // dropping keyboard users back at the top of the page.
    var active = document.activeElement;
    if ((!active || active === document.body) && fresh.getAttribute("tabindex") === "-1") {
      fresh.focus({ preventScroll: true });
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
