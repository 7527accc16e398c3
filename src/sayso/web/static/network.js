// The events network, laid out by the vendored Cytoscape: agents sized by how many events link
// them, one arrow per (actor, type, recipient) coloured as the legend. Labels are drawn inside
// the canvas with a white halo and wrapped, so none is clipped at the edge; clicking an agent
// opens its page. Colours come from the legend's swatches, so they stay in the stylesheet.
"use strict";

function typeColours(figure, types) {
  const swatches = figure.querySelectorAll(".legend .swatch");
  return Object.fromEntries(types.map((t, i) => [
    t, swatches[i] ? getComputedStyle(swatches[i]).backgroundColor : "#56616d"]));
}

function drawNetwork(container) {
  const graph = JSON.parse(document.getElementById(container.dataset.graph).textContent);
  const colours = typeColours(container.closest("figure"), graph.types);
  const top = Math.max(1, ...graph.nodes.map((n) => n.n));
  const heaviest = Math.max(1, ...graph.edges.map((e) => e.n));
  const elements = [
    ...graph.nodes.map((n) => ({ data: { id: n.key, label: n.label, n: n.n,
                                         size: 14 + 26 * Math.sqrt(n.n / top) } })),
    ...graph.edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target,
                                            label: `${e.label} (${e.n})`,
                                            colour: colours[e.type] || "#56616d",
                                            width: 1 + 4 * e.n / heaviest } })),
  ];
  const cy = cytoscape({
    container, elements, wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3,
    style: [
      { selector: "node", style: {
        "background-color": "#17212b", width: "data(size)", height: "data(size)",
        label: "data(label)", "font-size": 14, color: "#17212b", "text-valign": "bottom",
        "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": 110,
        "text-background-color": "#fff", "text-background-opacity": 0.8,
        "text-background-padding": 1, "min-zoomed-font-size": 7 } },
      { selector: "edge", style: {
        width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.8 } },
      { selector: "node:selected", style: { "background-color": "#c4473a" } },
    ],
    // Labels count in each node's size, so the force layout keeps them apart too.
    layout: { name: "cose", animate: false, padding: 30, nodeDimensionsIncludeLabels: true,
              nodeRepulsion: 30000, nodeOverlap: 20, idealEdgeLength: 50, gravity: 100,
              randomize: false, componentSpacing: 60, numIter: 2000 },
  });
  cy.on("tap", "node", (event) => {
    location.href = "/entities/" + encodeURIComponent(event.target.id());
  });
  cy.on("mouseover", "edge", (event) => { container.title = event.target.data("label"); });
  cy.on("mouseover", "node", (event) => {
    container.title = `${event.target.data("label")}: ${event.target.data("n")} events`;
  });
  cy.on("mouseout", () => { container.title = ""; });
  window.addEventListener("resize", () => cy.resize() && cy.fit(undefined, 30));
  cy.fit(undefined, 30);
  container.dataset.ready = "1";
  container.cy = cy; // for the browser tests
}

window.addEventListener("DOMContentLoaded", () => {
  for (const container of document.querySelectorAll(".network-canvas[data-graph]")) {
    drawNetwork(container);
  }
});
