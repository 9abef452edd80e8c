/* Quartier maps: every element with class "js-map" becomes a Leaflet map.
 *
 * Configuration comes from data attributes (no inline script, CSP-safe):
 *   data-geojson-url   URL of a GeoJSON FeatureCollection to show
 *   data-geojson-id    id of a json_script element holding GeoJSON to show
 *   data-point-input   id of an input that receives a GeoJSON Point when the map is clicked
 *                      (the marker can be dragged); data-lat-input/data-lng-input: number
 *                      fields kept in step (typing there moves the marker)
 *   data-outlines      the GeoJSON is area outlines under an input map (not clickable)
 *   data-map-config    id of a json_script with the map configuration, when the page has no
 *                      #map-config (form widgets in the admin)
 *   data-boundary-input id of a textarea holding a Polygon/MultiPolygon, editable by drawing
 *   data-finder-url    clicking the map navigates to this URL with ?lat=…&lng=…
 *   data-geojson-bbox  load data-geojson-url for the visible box only (&bbox=…), again after
 *                      each move; the answer may hold area clusters ("clustered": true)
 *   data-bounds        minLng,minLat,maxLng,maxLat the map opens on
 *   data-cluster-one, data-cluster-many  cluster texts ("{count} … in {area}"), translated
 *   data-cluster-link  the cluster popup's link text
 *   data-cluster-hint  id of an element shown while clusters are on the map
 *   data-labels        "all", or an area kind ("quarter"): those areas show their name
 *   data-split-parts   id of a textarea holding a FeatureCollection of parts (the split screen):
 *                      parts are drawn and edited on the map, numbered, and mirrored there;
 *                      data-split-names: the element that gets one name field per part
 *   data-preview-id    id of a json_script with the split preview (roles area, part, uncovered,
 *                      overlap, outside), drawn over the parts in distinct styles
 * Tiles from another origin load only after the visitor's consent (remembered for the visit).
 */
(function () {
  "use strict";
  var CONSENT_KEY = "quartier-map-consent";
  if (typeof L === "undefined") { return; }
  var config = null;
  var maps = [];
  var pointInputs = {};

  function readJSON(id) {
    var element = id ? document.getElementById(id) : null;
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (e) { return null; }
  }

  function merge(target, source) {
    // Translated texts (json_script "map-draw-texts") over Leaflet.draw's English defaults.
    Object.keys(source || {}).forEach(function (key) {
      if (source[key] && typeof source[key] === "object" && target[key] && typeof target[key] === "object") {
        merge(target[key], source[key]);
      } else {
        target[key] = source[key];
      }
    });
  }

  function hasConsent() {
    if (!config.needsConsent) { return true; }
    try { return window.sessionStorage.getItem(CONSENT_KEY) === "yes"; } catch (e) { return false; }
  }

  function addTiles(entry) {
    if (entry.tiles) { return; }
    entry.tiles = L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 });
    entry.tiles.addTo(entry.map);
    if (entry.consent) { entry.consent.hidden = true; }
  }

  function giveConsent() {
    try { window.sessionStorage.setItem(CONSENT_KEY, "yes"); } catch (e) { /* private mode */ }
    maps.forEach(addTiles);
  }

  var ROLE_STYLES = {
    // The split screen's preview; SVG attributes only, so the CSP (no inline styles) holds.
    area: { color: "#1d5b79", weight: 3, dashArray: "8 6", fillOpacity: 0.03, className: "map-role-area" },
    part: { color: "#2e7d4f", weight: 2, fillOpacity: 0.15, className: "map-role-part" },
    uncovered: { color: "#b3261e", weight: 2, dashArray: "3 4", fillColor: "#b3261e", fillOpacity: 0.45, className: "map-role-uncovered" },
    overlap: { color: "#7b3f8c", weight: 2, fillColor: "#7b3f8c", fillOpacity: 0.6, className: "map-role-overlap" },
    outside: { color: "#3d3d3d", weight: 2, dashArray: "1 4", fillColor: "#8a5a00", fillOpacity: 0.55, className: "map-role-outside" }
  };

  function styleFor(feature) {
    // For areas; points keep the filled look pointFor gives them.
    if (feature.geometry && feature.geometry.type === "Point") { return {}; }
    var props = feature.properties || {};
    if (props.role && ROLE_STYLES[props.role]) { return L.extend({}, ROLE_STYLES[props.role]); }
    return { color: props.colour || "#1d5b79", weight: 2, fillOpacity: props.fillOpacity || 0.15 };
  }

  function pointFor(feature, latlng) {
    var props = feature.properties || {};
    return L.circleMarker(latlng, {
      radius: 7, color: "#ffffff", weight: 2, fillColor: props.colour || "#1d5b79", fillOpacity: 0.95
    });
  }

  function popupFor(feature, layer) {
    var props = feature.properties || {};
    if (!props.name && !props.title) { return; }
    var box = document.createElement("div");
    var label = props.name || props.title;
    if (props.url) {
      var link = document.createElement("a");
      link.href = props.url;
      link.textContent = label;
      box.appendChild(link);
    } else {
      box.textContent = label;
    }
    if (props.summary) {
      var text = document.createElement("p");
      text.textContent = props.summary;
      box.appendChild(text);
    }
    layer.bindPopup(box);
  }

  function clusterLabel(element, props) {
    var template = props.count === 1 ? element.dataset.clusterOne : element.dataset.clusterMany;
    return (template || "{count}").replace("{count}", String(props.count)).replace("{area}", props.area || "");
  }

  function clusterSize(count) {
    return Math.round(26 + 4 * Math.min(3, Math.log(Math.max(count, 1)) / Math.LN10));
  }

  function clusterIcon(count, compact) {
    if (compact) { return L.divIcon({ html: "", className: "map-cluster map-cluster-compact", iconSize: [14, 14] }); }
    var number = document.createElement("span");
    number.textContent = String(count);
    var size = clusterSize(count);
    return L.divIcon({ html: number, className: "map-cluster", iconSize: [size, size] });
  }

  function clusterFor(element, feature, latlng) {
    var props = feature.properties;
    var label = clusterLabel(element, props);
    var marker = L.marker(latlng, { title: label, riseOnHover: true, icon: clusterIcon(props.count, false) });
    marker.clusterCount = props.count;
    var box = document.createElement("div");
    var text = document.createElement("p");
    text.className = "map-cluster-text";
    text.textContent = label;
    box.appendChild(text);
    if (props.url) {
      var link = document.createElement("a");
      link.href = props.url;
      link.textContent = element.dataset.clusterLink || label;
      box.appendChild(link);
    }
    marker.bindPopup(box);
    return marker;
  }

  function declutterClusters(map, layer) {
    // Areas lie close together when zoomed out: a cluster whose numbered circle would cover a
    // bigger one's shows as a small dot (same label and popup) until the map is zoomed in.
    var placed = [];
    var markers = [];
    layer.eachLayer(function (marker) { if (marker.clusterCount !== undefined) { markers.push(marker); } });
    markers.sort(function (a, b) { return b.clusterCount - a.clusterCount; });
    markers.forEach(function (marker) {
      var position = map.latLngToLayerPoint(marker.getLatLng());
      var radius = clusterSize(marker.clusterCount) / 2;
      var crowded = placed.some(function (other) {
        return position.distanceTo(other.position) < radius + other.radius + 2;
      });
      if (crowded) {
        marker.setIcon(clusterIcon(marker.clusterCount, true));
      } else {
        placed.push({ position: position, radius: radius });
      }
    });
  }

  function declutterLabels(entry) {
    // Names of small or narrow areas may run into each other: a label that would cover one
    // already placed stays hidden until the map is zoomed in (the area's list is beside it).
    var placed = [];
    entry.element.querySelectorAll(".map-label").forEach(function (label) {
      label.classList.remove("map-label-crowded");
      var box = label.getBoundingClientRect();
      var crowded = placed.some(function (other) {
        return box.left < other.right && other.left < box.right &&
          box.top < other.bottom && other.top < box.bottom;
      });
      if (crowded) { label.classList.add("map-label-crowded"); } else { placed.push(box); }
    });
  }

  function showGeoJSON(entry, data) {
    var options = {
      style: styleFor,
      pointToLayer: function (feature, latlng) {
        if (feature.properties && feature.properties.cluster) { return clusterFor(entry.element, feature, latlng); }
        return pointFor(feature, latlng);
      }
    };
    if (entry.element.dataset.outlines) {
      // Area outlines under an input map: always drawn, never in the way of a click.
      options.interactive = false;
      options.style = function (feature) {
        var style = styleFor(feature);
        style.fillOpacity = 0.05;
        return style;
      };
    } else {
      // On a finder map or a point picker a click anywhere is for the map (popups would swallow it).
      var clickable = !entry.element.dataset.finderUrl && !entry.element.dataset.pointInput;
      var labels = entry.element.dataset.labels;
      options.onEachFeature = function (feature, layer) {
        var props = feature.properties || {};
        if (props.cluster) { return; }
        if (clickable) { popupFor(feature, layer); }
        var isArea = feature.geometry && feature.geometry.type !== "Point";
        if (labels && isArea && props.name && (labels === "all" || labels === props.kind)) {
          // A label, not a control: clicks go through to the area (its popup or the finder).
          layer.bindTooltip(props.name, { permanent: true, direction: "center", className: "map-label" });
        }
      };
    }
    var layer = L.geoJSON(data, options);
    layer.addTo(entry.map);
    if (labels) {
      if (!entry.labelsWatched) {
        entry.labelsWatched = true;
        entry.map.on("zoomend moveend", function () { declutterLabels(entry); });
      }
      window.setTimeout(function () { declutterLabels(entry); }, 0);
    }
    if (data.clustered) { declutterClusters(entry.map, layer); }
    var bounds = layer.getBounds();
    var data = entry.element.dataset;
    var keepsView = entry.hasPoint || entry.hasBoundary || data.geojsonBbox || (data.pointInput && entry.pointPlaced);
    if (bounds.isValid() && !keepsView) {
      entry.map.fitBounds(bounds, { padding: [12, 12], maxZoom: 16 });
    }
    return layer;
  }

  function bboxOf(map) {
    // Leaflet's bounds may reach past the world's edges when zoomed far out; the server
    // accepts only real coordinates.
    var bounds = map.getBounds();
    function clamp(value, limit) { return Math.max(-limit, Math.min(limit, value)).toFixed(5); }
    return [clamp(bounds.getWest(), 180), clamp(bounds.getSouth(), 90),
      clamp(bounds.getEast(), 180), clamp(bounds.getNorth(), 90)].join(",");
  }

  function setupBboxLoading(entry, url) {
    // Loads only what the map shows, again after each move (debounced). A newer request
    // aborts the one in flight, and a late answer to an older one is ignored.
    var element = entry.element;
    var hint = element.dataset.clusterHint ? document.getElementById(element.dataset.clusterHint) : null;
    var layer = null;
    var controller = null;
    var timer = null;
    var latest = 0;
    function load() {
      var serial = ++latest;
      if (controller) { controller.abort(); }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var target = url + (url.indexOf("?") === -1 ? "?" : "&") + "bbox=" + bboxOf(entry.map);
      fetch(target, { credentials: "same-origin", signal: controller ? controller.signal : undefined })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (geojson) {
          if (serial !== latest) { return; }
          if (layer) { entry.map.removeLayer(layer); }
          layer = showGeoJSON(entry, geojson);
          if (hint) { hint.hidden = !geojson.clustered; }
          element.classList.remove("map-failed");
        })
        .catch(function (error) {
          if (serial !== latest || (error && error.name === "AbortError")) { return; }
          element.classList.add("map-failed");
        });
    }
    entry.map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 300);
    });
    load();
  }

  function setupPointInput(entry, input) {
    // The hidden GeoJSON input, the marker and the latitude/longitude fields stay in step.
    var data = entry.element.dataset;
    var latInput = data.latInput ? document.getElementById(data.latInput) : null;
    var lngInput = data.lngInput ? document.getElementById(data.lngInput) : null;
    var marker = null;
    function round(value) { return Math.round(value * 1e6) / 1e6; }
    function show(latlng) {
      if (marker) { marker.setLatLng(latlng); return; }
      marker = L.marker(latlng, { draggable: true, title: data.markerTitle || "", alt: data.markerTitle || "" });
      marker.on("dragend", function () { place(marker.getLatLng(), true); });
      marker.addTo(entry.map);
    }
    function place(latlng, fromMap) {
      entry.pointPlaced = true;  // area outlines loaded later keep this view
      var lng = round(latlng.lng), lat = round(latlng.lat);
      show(L.latLng(lat, lng));
      input.value = JSON.stringify({ type: "Point", coordinates: [lng, lat] });
      if (fromMap && latInput && lngInput) { latInput.value = lat.toFixed(6); lngInput.value = lng.toFixed(6); }
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function clear() {
      if (marker) { entry.map.removeLayer(marker); marker = null; }
      input.value = "";
      if (latInput) { latInput.value = ""; }
      if (lngInput) { lngInput.value = ""; }
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (input.value) {
      try {
        var point = JSON.parse(input.value);
        var latlng = L.latLng(point.coordinates[1], point.coordinates[0]);
        show(latlng);
        entry.hasPoint = true;
        entry.map.setView(latlng, 16);
        entry.pointPlaced = true;  // area outlines loaded later keep this view
      } catch (e) { /* the form shows the error */ }
    }
    entry.map.on("click", function (event) { place(event.latlng, true); });
    function typed() {
      var lat = parseFloat((latInput.value || "").replace(",", "."));
      var lng = parseFloat((lngInput.value || "").replace(",", "."));
      if (isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
        place(L.latLng(lat, lng), false);
        entry.map.panTo([lat, lng]);
      }
    }
    if (latInput && lngInput) {
      latInput.addEventListener("change", typed);
      lngInput.addEventListener("change", typed);
    }
    var clearButton = document.querySelector("[data-clear-point='" + input.id + "']");
    if (clearButton) {
      clearButton.hidden = false;
      clearButton.addEventListener("click", clear);
    }
    pointInputs[input.id] = {
      set: function (lng, lat) { place(L.latLng(lat, lng), true); entry.map.setView([lat, lng], 17); },
      clear: clear
    };
  }

  function setupBoundaryInput(entry, textarea) {
    var drawn = new L.FeatureGroup().addTo(entry.map);
    function load() {
      drawn.clearLayers();
      if (!textarea.value.trim()) { return; }
      try {
        L.geoJSON(JSON.parse(textarea.value), { style: styleFor }).eachLayer(function (layer) { drawn.addLayer(layer); });
        if (drawn.getBounds().isValid()) { entry.map.fitBounds(drawn.getBounds()); }
      } catch (e) { /* invalid JSON: the validator explains on save */ }
    }
    function store() {
      var polygons = [];
      drawn.eachLayer(function (layer) {
        var geometry = layer.toGeoJSON().geometry;
        if (geometry.type === "Polygon") { polygons.push(geometry.coordinates); }
        if (geometry.type === "MultiPolygon") { polygons = polygons.concat(geometry.coordinates); }
      });
      if (polygons.length === 0) { textarea.value = ""; return; }
      textarea.value = JSON.stringify(polygons.length === 1
        ? { type: "Polygon", coordinates: polygons[0] }
        : { type: "MultiPolygon", coordinates: polygons });
    }
    load();
    entry.hasBoundary = drawn.getLayers().length > 0;
    textarea.addEventListener("change", load);
    var data = entry.element.dataset;
    var upload = data.uploadInput ? document.getElementById(data.uploadInput) : null;
    var status = data.uploadStatus ? document.getElementById(data.uploadStatus) : null;
    if (upload && window.FileReader) {
      // A GeoJSON file is shown on the map before saving; the server's validator checks it
      // on "Sichern" and its messages appear with the field.
      upload.addEventListener("change", function () {
        var file = upload.files && upload.files[0];
        if (!file) { return; }
        var reader = new FileReader();
        reader.onload = function () {
          var geometry = null;
          try {
            var parsed = JSON.parse(String(reader.result));
            if (parsed.type === "FeatureCollection" && parsed.features && parsed.features.length === 1) { parsed = parsed.features[0]; }
            geometry = parsed.type === "Feature" ? parsed.geometry : parsed;
          } catch (e) { geometry = null; }
          if (!geometry || (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon")) {
            if (status) { status.textContent = data.uploadInvalid || ""; status.className = "boundary-status errornote"; }
            return;
          }
          textarea.value = JSON.stringify(geometry);
          load();
          if (status) { status.textContent = data.uploadShown || ""; status.className = "boundary-status"; }
        };
        reader.readAsText(file);
      });
    }
    if (L.Control && L.Control.Draw) {
      entry.map.addControl(new L.Control.Draw({
        edit: { featureGroup: drawn },
        draw: { polyline: false, rectangle: false, circle: false, circlemarker: false, marker: false }
      }));
      entry.map.on(L.Draw.Event.CREATED, function (event) { drawn.addLayer(event.layer); store(); });
      entry.map.on(L.Draw.Event.EDITED, store);
      entry.map.on(L.Draw.Event.DELETED, store);
    }
  }

  function setupSplit(entry, textarea) {
    // The split screen: every drawn polygon is a part with a number on the map and a name field
    // beside it; the textarea (the keyboard way) always holds the same FeatureCollection.
    var data = entry.element.dataset;
    var namesBox = data.splitNames ? document.getElementById(data.splitNames) : null;
    var drawn = new L.FeatureGroup().addTo(entry.map);
    function typedName(number) {
      var input = document.getElementById("id_name_" + number);
      return input ? input.value : null;
    }
    function label(layer, number) {
      layer.unbindTooltip();
      layer.bindTooltip(String(number), { permanent: true, direction: "center", className: "map-label split-number" });
    }
    function addPart(layer, name) {
      layer.partName = name || "";
      layer.setStyle(L.extend({}, ROLE_STYLES.part));
      drawn.addLayer(layer);
    }
    function load(fromText) {
      drawn.clearLayers();
      if (!textarea.value.trim()) { return; }
      try {
        var parsed = JSON.parse(textarea.value);
        var features = parsed.type === "FeatureCollection" ? parsed.features : [{ type: "Feature", properties: {}, geometry: parsed }];
        features.forEach(function (feature, index) {
          var name = fromText ? null : typedName(index + 1);
          if (name === null) { name = (feature.properties || {}).name || ""; }
          var partStyle = function () { return L.extend({}, ROLE_STYLES.part); };
          L.geoJSON(feature.geometry, { style: partStyle }).eachLayer(function (layer) { addPart(layer, name); });
        });
      } catch (e) { /* invalid text: the server explains on preview */ }
    }
    function store() {
      var features = [];
      drawn.getLayers().forEach(function (layer) {
        features.push({ type: "Feature", properties: { name: layer.partName || "" }, geometry: layer.toGeoJSON().geometry });
      });
      textarea.value = features.length ? JSON.stringify({ type: "FeatureCollection", features: features }) : "";
    }
    function renderNames() {
      drawn.getLayers().forEach(function (layer, index) { label(layer, index + 1); });
      if (!namesBox) { return; }
      var legend = namesBox.querySelector("legend");
      Array.prototype.slice.call(namesBox.children).forEach(function (child) {
        if (child !== legend) { namesBox.removeChild(child); }
      });
      var layers = drawn.getLayers();
      if (!layers.length) {
        var empty = document.createElement("p");
        empty.className = "split-names-empty";
        empty.textContent = namesBox.dataset.empty || "";
        namesBox.appendChild(empty);
        return;
      }
      layers.forEach(function (layer, index) {
        var number = index + 1;
        var row = document.createElement("div");
        row.className = "form-row";
        var caption = document.createElement("label");
        caption.htmlFor = "id_name_" + number;
        caption.textContent = (namesBox.dataset.label || "{number}").replace("{number}", String(number)) + ":";
        var input = document.createElement("input");
        input.type = "text";
        input.name = "name_" + number;
        input.id = "id_name_" + number;
        input.maxLength = 120;
        input.value = layer.partName || "";
        input.addEventListener("input", function () { layer.partName = input.value; store(); });
        row.appendChild(caption);
        row.appendChild(document.createTextNode(" "));
        row.appendChild(input);
        namesBox.appendChild(row);
      });
    }
    function changed() { store(); renderNames(); }
    load(false);
    renderNames();
    if (drawn.getLayers().length) { entry.map.fitBounds(drawn.getBounds(), { padding: [12, 12] }); }
    var upload = data.uploadInput ? document.getElementById(data.uploadInput) : null;
    var status = data.uploadStatus ? document.getElementById(data.uploadStatus) : null;
    var nameInput = data.nameProperty ? document.getElementById(data.nameProperty) : null;
    if (upload && window.FileReader) {
      // A file is shown on the map at once, its parts and names taken over; the server's
      // checks come with the preview. What cannot be read stays as a file for the server to
      // explain.
      upload.addEventListener("change", function () {
        var file = upload.files && upload.files[0];
        if (!file) { return; }
        var reader = new FileReader();
        reader.onload = function () {
          var property = (nameInput && nameInput.value) || "name";
          var features = null;
          try {
            var parsed = JSON.parse(String(reader.result));
            if (parsed.type === "FeatureCollection" && parsed.features && parsed.features.length) {
              features = parsed.features.map(function (feature) {
                var props = feature.properties || {};
                var name = props[property] === undefined || props[property] === null ? "" : String(props[property]);
                return { type: "Feature", properties: { name: name }, geometry: feature.geometry };
              });
            }
          } catch (e) { features = null; }
          if (!features) {
            if (status) { status.textContent = data.uploadInvalid || ""; status.className = "boundary-status errornote"; }
            return;
          }
          textarea.value = JSON.stringify({ type: "FeatureCollection", features: features });
          load(true);
          renderNames();
          if (drawn.getLayers().length) { entry.map.fitBounds(drawn.getBounds(), { padding: [12, 12] }); }
          upload.value = "";
          if (status) { status.textContent = data.uploadShown || ""; status.className = "boundary-status"; }
        };
        reader.readAsText(file);
      });
    }
    textarea.addEventListener("change", function () { load(true); renderNames(); });
    if (L.Control && L.Control.Draw) {
      entry.map.addControl(new L.Control.Draw({
        edit: { featureGroup: drawn },
        draw: {
          polyline: false, rectangle: false, circle: false, circlemarker: false, marker: false,
          polygon: { shapeOptions: L.extend({}, ROLE_STYLES.part) }
        }
      }));
      entry.map.on(L.Draw.Event.CREATED, function (event) { addPart(event.layer, ""); changed(); });
      entry.map.on(L.Draw.Event.EDITED, changed);
      entry.map.on(L.Draw.Event.DELETED, changed);
    }
    if (data.previewId) {
      var preview = readJSON(data.previewId);
      if (preview) {
        // Only the problem zones over the parts: the parts themselves are the drawn layers.
        preview.features = (preview.features || []).filter(function (feature) {
          var role = (feature.properties || {}).role;
          return role === "uncovered" || role === "overlap" || role === "outside";
        });
        L.geoJSON(preview, { style: styleFor, interactive: false }).addTo(entry.map);
      }
    }
  }

  function init(element) {
    var map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
    var entry = { element: element, map: map, tiles: null, consent: null, hasPoint: false, hasBoundary: false };
    var block = element.closest(".map-block");
    entry.consent = block ? block.querySelector(".map-consent") : null;
    maps.push(entry);
    if (hasConsent()) {
      addTiles(entry);
    } else if (entry.consent) {
      entry.consent.hidden = false;
      entry.consent.querySelector("button").addEventListener("click", giveConsent);
    }
    var data = element.dataset;
    if (data.bounds) {
      var box = data.bounds.split(",").map(Number);
      if (box.length === 4 && box.every(isFinite)) {
        map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { padding: [12, 12], animate: false });
      }
    }
    if (data.pointInput) {
      var input = document.getElementById(data.pointInput);
      if (input) { setupPointInput(entry, input); }
    }
    if (data.boundaryInput) {
      var textarea = document.getElementById(data.boundaryInput);
      if (textarea) { setupBoundaryInput(entry, textarea); }
    }
    if (data.splitParts) {
      var parts = document.getElementById(data.splitParts);
      if (parts) { setupSplit(entry, parts); }
    }
    if (data.geojsonId) {
      var source = document.getElementById(data.geojsonId);
      if (source) { showGeoJSON(entry, JSON.parse(source.textContent)); }
    }
    if (data.geojsonUrl && data.geojsonBbox) {
      setupBboxLoading(entry, data.geojsonUrl);
    } else if (data.geojsonUrl) {
      fetch(data.geojsonUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (geojson) { showGeoJSON(entry, geojson); })
        .catch(function () { element.classList.add("map-failed"); });
    }
    if (data.finderUrl) {
      map.on("click", function (event) {
        window.location.href = data.finderUrl + "?lat=" + event.latlng.lat.toFixed(6) +
          "&lng=" + event.latlng.lng.toFixed(6);
      });
    }
    element.classList.add("map-ready");
  }

  function start() {
    // The site's pages give one #map-config; a form widget brings its own (data-map-config).
    config = readJSON("map-config");
    var elements = document.querySelectorAll(".js-map");
    if (!config && elements.length) { config = readJSON(elements[0].dataset.mapConfig); }
    if (!config) { return; }
    if (L.drawLocal) { merge(L.drawLocal, readJSON("map-draw-texts")); }
    elements.forEach(init);
  }

  /* For other scripts, e.g. an address search beside a point picker (it names the point's
   * input in data-point-input): QuartierMaps.setPoint(inputId, lng, lat) places the
   * marker and fills the fields; QuartierMaps.clearPoint(inputId) removes it. */
  window.QuartierMaps = {
    mapOf: function (elementId) {
      var found = maps.filter(function (entry) { return entry.element.id === elementId; })[0];
      return found ? found.map : null;
    },
    setPoint: function (inputId, lng, lat) {
      if (pointInputs[inputId]) { pointInputs[inputId].set(Number(lng), Number(lat)); return true; }
      return false;
    },
    clearPoint: function (inputId) {
      if (pointInputs[inputId]) { pointInputs[inputId].clear(); return true; }
      return false;
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
