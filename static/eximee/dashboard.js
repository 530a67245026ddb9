/* Dashboard behaviour without inline scripts (the CSP allows only our own files). */
(function () {
  "use strict";

  // Renders <div class="diagram" data-diagram="ID"> with the BPMN XML in <script id="ID-xml"> and the
  // marks in <script id="ID-marks"> ({completed: [...], active: [...], incidents: {activityId: n}}).
  function renderDiagram(container) {
    if (container.dataset.rendered || typeof BpmnJS === "undefined") return;
    container.dataset.rendered = "true";
    var name = container.dataset.diagram;
    var xml = JSON.parse(document.getElementById(name + "-xml").textContent);
    var marksNode = document.getElementById(name + "-marks");
    var marks = marksNode ? JSON.parse(marksNode.textContent) : {};
    var viewer = new BpmnJS({ container: container });
    viewer.importXML(xml).then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      var overlays = viewer.get("overlays");
      canvas.zoom("fit-viewport");
      function mark(ids, marker) {
        (ids || []).forEach(function (id) {
          if (registry.get(id)) { canvas.addMarker(id, marker); }
        });
      }
      mark(marks.completed, "highlight-completed");
      mark(marks.active, "highlight-active");
      Object.keys(marks.incidents || {}).forEach(function (id) {
        if (!registry.get(id)) return;
        canvas.addMarker(id, "highlight-incident");
        overlays.add(id, { position: { top: -10, right: 10 },
          html: '<span class="diagram-badge" title="open incidents">' + marks.incidents[id] + "</span>" });
      });
      container.dataset.ready = "true";
    }).catch(function (error) {
      container.textContent = /no diagram to display/.test(error.message)
        ? "This model has no diagram layout (BPMN DI). Open it in Camunda Modeler and save it to add one."
        : "The diagram could not be shown: " + error.message;
      container.classList.add("p-3", "text-body-secondary");
      container.dataset.ready = "error";
    });
  }

  function renderDiagrams(root) {
    (root || document).querySelectorAll(".diagram[data-diagram]").forEach(function (container) {
      // A diagram inside a hidden tab is drawn when its tab is first shown (it needs a size).
      if (container.offsetParent !== null) renderDiagram(container);
    });
  }

  // Buttons of bulk forms: <input type="checkbox" data-select-all="name"> toggles every name=... box.
  document.addEventListener("change", function (event) {
    var name = event.target.dataset && event.target.dataset.selectAll;
    if (!name) return;
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });

  // Forms that ask before a destructive action: <form data-confirm="Cancel this instance?">.
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () { renderDiagrams(); });
  document.addEventListener("shown.bs.tab", function () { renderDiagrams(); });
  document.addEventListener("htmx:afterSettle", function (event) { renderDiagrams(event.target); });
})();
