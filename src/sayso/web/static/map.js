// Maps of places: Natural Earth's country outlines (vendored world-atlas TopoJSON) drawn by
// Leaflet with no tile server, places clustered by Leaflet.markercluster. Each marker carries
// its name; where two labels would overlap the smaller place's is hidden (its name stays in the
// marker's popup), so every label shown can be read. Text goes in with textContent only:
// place names and titles come from untrusted articles.
"use strict";

const OUTLINES = "/static/vendor/world-atlas/countries-110m.json";

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function weight(place) {
  return place.articles || place.mentions || 1;
}

function popup(place) {
  const box = el("div", "map-popup");
  box.append(el("strong", "", place.name));
  const counts = place.articles ? `${place.articles} articles, ${place.mentions} mentions`
                                : `${place.mentions} mention${place.mentions === 1 ? "" : "s"}`;
  box.append(el("div", "", (place.country ? place.country + " · " : "") + counts));
  if (place.links.length) {
    const list = el("ul");
    for (const link of place.links) {
      const item = el("li");
      const a = el("a", "", link.title || "(untitled)");
      a.href = "/articles/" + encodeURIComponent(link.id);
      item.append(a);
      list.append(item);
    }
    box.append(list);
  }
  return box;
}

function labelIcon(name, size, cls) {
  const html = el("div", "map-pin " + cls);
  html.append(el("span", "map-dot", size > 1 ? String(size) : ""), el("span", "map-label", name));
  const side = size > 1 ? 22 : 16;
  return L.divIcon({ html, className: "map-icon", iconSize: [side, side] });
}

function clusterIcon(cluster) {
  const places = cluster.getAllChildMarkers().map((m) => m.options.place);
  places.sort((a, b) => weight(b) - weight(a));
  const more = places.length - 1;
  return labelIcon(`${places[0].name} +${more}`, places.length, "cluster");
}

function overlaps(box, others) {
  return others.some((o) => box.left < o.right && o.left < box.right &&
                            box.top < o.bottom && o.top < box.bottom);
}

// Shows labels biggest place first, right of their dot or else left of it, hiding any that
// would overlap one already shown or leave the map (its name stays in the dot's popup).
function declutter(container) {
  const frame = container.getBoundingClientRect();
  const pins = [...container.querySelectorAll(".map-pin")];
  pins.sort((a, b) => (Number(b.dataset.weight) || 0) - (Number(a.dataset.weight) || 0));
  const dots = pins.map((pin) => pin.querySelector(".map-dot").getBoundingClientRect());
  const shown = [];
  for (const pin of pins) {
    const label = pin.querySelector(".map-label");
    label.classList.remove("hidden", "left");
    const fits = () => {
      const box = label.getBoundingClientRect();
      const inside = box.left >= frame.left && box.right <= frame.right &&
                     box.top >= frame.top && box.bottom <= frame.bottom;
      return inside && !overlaps(box, shown) && !overlaps(box, dots) ? box : null;
    };
    let box = fits();
    if (!box) {
      label.classList.add("left");
      box = fits();
    }
    if (box) shown.push(box);
    else label.classList.add("hidden");
  }
}

// world-atlas is made for spherical projections: a ring crossing the antimeridian (Russia,
// Fiji) jumps from 180 to -180 degrees, which a flat map draws as a line across the world.
// Each ring is unwrapped to run on past 180 instead; one that circles a pole (Antarctica) is
// closed along that pole.
function unwrapRing(ring) {
  let shift = 0;
  const out = [ring[0]];
  for (let i = 1; i < ring.length; i++) {
    const step = ring[i][0] - ring[i - 1][0];
    if (step > 180) shift -= 360;
    else if (step < -180) shift += 360;
    out.push([ring[i][0] + shift, ring[i][1]]);
  }
  if (shift !== 0) {
    const pole = ring[0][1] < 0 ? -90 : 90;
    out.push([out[out.length - 1][0], pole], [ring[0][0], pole], ring[0]);
  }
  return out;
}

function unwrap(geometry) {
  if (geometry.type === "Polygon") geometry.coordinates = geometry.coordinates.map(unwrapRing);
  if (geometry.type === "MultiPolygon") {
    geometry.coordinates = geometry.coordinates.map((polygon) => polygon.map(unwrapRing));
  }
}

async function drawMap(container) {
  const places = JSON.parse(document.getElementById(container.dataset.places).textContent);
  const map = L.map(container, { worldCopyJump: false, minZoom: 1, maxZoom: 9,
                                 zoomSnap: 0.5, maxBounds: [[-85, -200], [85, 200]] });
  map.attributionControl.setPrefix("Leaflet").addAttribution("Outlines: Natural Earth");
  const topo = await (await fetch(OUTLINES)).json();
  const countries = topojson.feature(topo, topo.objects.countries);
  for (const country of countries.features) if (country.geometry) unwrap(country.geometry);
  L.geoJSON(countries, {
    style: { className: "map-country", weight: 0.6 }, interactive: false,
  }).addTo(map);
  const clusters = L.markerClusterGroup({ iconCreateFunction: clusterIcon, maxClusterRadius: 60,
                                          showCoverageOnHover: false });
  for (const place of places) {
    const marker = L.marker([place.lat, place.lon], { place, title: place.name,
                                                      icon: labelIcon(place.name, 1, "single") });
    marker.bindPopup(() => popup(place));
    clusters.addLayer(marker);
  }
  map.addLayer(clusters);
  const bounds = L.latLngBounds(places.map((p) => [p.lat, p.lon]));
  map.fitBounds(bounds.pad(0.3), { maxZoom: 6 });
  const relabel = () => {
    for (const layer of clusters.getLayers()) {
      const shown = clusters.getVisibleParent(layer);
      const pin = shown && shown.getElement && shown.getElement()?.querySelector(".map-pin");
      if (pin) pin.dataset.weight = shown.getChildCount ? shown.getChildCount() * 1000
                                                         : weight(layer.options.place);
    }
    declutter(container);
    delete container.dataset.pending; // for the tests: the labels have settled
  };
  // Markers come and go through a zoom and slide for 0.3 s (MarkerCluster.css): label once
  // they have settled.
  let pending = null;
  const settle = () => {
    clearTimeout(pending);
    container.dataset.pending = "1";
    pending = setTimeout(relabel, 350);
  };
  clusters.on("animationend", settle);
  map.on("zoomend moveend", settle);
  // Any marker added, removed or moved (Leaflet sets its transform) is labelled afresh.
  new MutationObserver(settle).observe(map.getPane("markerPane"), {
    childList: true, subtree: true, attributes: true, attributeFilter: ["style"] });
  relabel();
  container.dataset.ready = "1";
  container.map = map; // for the browser tests
}

window.addEventListener("DOMContentLoaded", () => {
  for (const container of document.querySelectorAll(".map-canvas[data-places]")) {
    drawMap(container).catch((error) => {
      container.dataset.ready = "error";
      container.textContent = "The map could not be drawn: " + error.message;
    });
  }
});
