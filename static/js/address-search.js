/* Address search with suggestions: the ARIA 1.2 combobox pattern (an editable combobox with
 * list autocomplete). Every element with data-address-search gets one (see
 * templates/includes/address_search.html for the markup):
 *   data-suggest-url  /quartiere/adressen.json (answers {"results": [...]}, at most ten)
 *   data-submit       the search is its own form: choosing an address sends it
 *   data-point-input  id of a hidden GeoJSON point input to fill (through QuartierMaps when a
 *                     map shows it, else directly: works before map tiles are allowed)
 *   data-area-select  id of an area <select> to set to the address's area
 *   data-count-*, data-chosen*, data-outside  texts for the live region, translated
 * Keyboard: Down/Up move through the suggestions (Alt+Down opens them), Enter chooses,
 * Escape closes the list (a second Escape clears the field). Without JavaScript the search is
 * a plain form (or, as a helper inside another form, stays hidden).
 */
(function () {
  "use strict";
  if (!window.fetch || !document.querySelectorAll) { return; }
  var DELAY = 200;
  var MIN_LENGTH = 2;

  function setup(root) {
    var input = root.querySelector("[role=combobox]");
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.getElementById(input.id + "-status");
    var data = root.dataset;
    var form = input.form;
    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;
    root.hidden = false;

    function say(text) {
      // A fresh text each time, so screen readers announce a repeated count too.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    function isOpen() { return !list.hidden; }

    function open() {
      if (!results.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      setActive(-1);
    }

    function setActive(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      options.forEach(function (option, position) {
        var selected = position === index;
        option.setAttribute("aria-selected", selected ? "true" : "false");
        option.classList.toggle("is-active", selected);
        if (selected) {
          input.setAttribute("aria-activedescendant", option.id);
          if (option.scrollIntoView) { option.scrollIntoView({ block: "nearest" }); }
        }
      });
      if (index < 0) { input.removeAttribute("aria-activedescendant"); }
    }

    function render() {
      list.textContent = "";
      results.forEach(function (result, index) {
        var option = document.createElement("li");
        option.id = input.id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = result.label;
        if (result.area && result.area.name) {
          var area = document.createElement("span");
          area.className = "address-option-area";
          area.textContent = " · " + result.area.name;
          option.appendChild(area);
        }
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(index); });
        list.appendChild(option);
      });
      active = -1;
      if (results.length) { open(); } else { close(); }
      var count = results.length;
      say(count === 0 ? data.countNone : count === 1 ? data.countOne
        : data.countMany.replace("{count}", String(count)));
    }

    function load() {
      var query = input.value.trim();
      if (query === lastQuery) { open(); return; }
      lastQuery = query;
      if (query.length < MIN_LENGTH) { results = []; list.textContent = ""; close(); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(data.suggestUrl + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (answer) {
        if (query !== input.value.trim()) { return; }
        results = (answer && answer.results) || [];
        render();
      }).catch(function () { /* offline, aborted or limited: the form still works */ });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, DELAY);
    }

    function fillPoint(result) {
      var pointId = data.pointInput;
      if (!pointId) { return; }
      var placed = window.QuartierMaps && window.QuartierMaps.setPoint(pointId, result.lng, result.lat);
      if (!placed) {
        var hidden = document.getElementById(pointId);
        if (hidden) {
          hidden.value = JSON.stringify({ type: "Point", coordinates: [result.lng, result.lat] });
          hidden.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    }

    function fillArea(result) {
      var select = data.areaSelect ? document.getElementById(data.areaSelect) : null;
      if (!select || !result.area) { return; }
      var value = String(result.area.id);
      var exists = Array.prototype.some.call(select.options, function (option) { return option.value === value; });
      if (exists) {
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function choose(index) {
      var result = results[index];
      if (!result) { return; }
      input.value = result.value;
      if (result.kind === "street") {
        // A street: the house number is still to come.
        lastQuery = null;
        input.focus();
        schedule();
        return;
      }
      lastQuery = input.value.trim();
      close();
      if (data.submit && form) {
        form.submit();
        return;
      }
      fillPoint(result);
      fillArea(result);
      if (result.area) {
        say(data.chosenArea.replace("{address}", result.label).replace("{area}", result.area.name));
      } else {
        say(data.outside.replace("{address}", result.label));
      }
    }

    input.addEventListener("input", schedule);
    input.addEventListener("focus", function () { if (results.length && input.value.trim() === lastQuery) { open(); } });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      var count = results.length;
      switch (event.key) {
        case "ArrowDown":
        case "Down":
          event.preventDefault();
          if (!isOpen()) { open(); if (event.altKey) { return; } }
          if (count) { setActive(active + 1 >= count ? 0 : active + 1); }
          break;
        case "ArrowUp":
        case "Up":
          event.preventDefault();
          if (!isOpen()) { open(); }
          if (count) { setActive(active <= 0 ? count - 1 : active - 1); }
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            choose(active);
          } else if (!data.submit) {
            // Inside another form Enter must not send that form: take the first suggestion.
            event.preventDefault();
            if (count) { choose(0); }
          }
          break;
        case "Escape":
        case "Esc":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            results = [];
            lastQuery = null;
          }
          break;
        default:
          break;
      }
    });
  }

  function start() {
    document.querySelectorAll(".address-search[data-address-search]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
