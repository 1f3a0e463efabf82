// Draws the principal-vs-interest chart of a quote from the JSON the server put in #quote-chart-data.
// Loaded as a file (no inline script: the Content-Security-Policy allows only 'self').
(function () {
  function draw() {
    var data = document.getElementById("quote-chart-data");
    var target = document.getElementById("quote-chart");
    if (!data || !target || !window.echarts) return;
    var chart = JSON.parse(data.textContent);
    if (!chart) return;
    // The series names come translated from the page (data-principal, data-interest), never from this file.
    var principal = target.dataset.principal || "Principal";
    var interest = target.dataset.interest || "Interest";
    var instance = window.echarts.getInstanceByDom(target) || window.echarts.init(target);
    instance.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [principal, interest] },
      xAxis: { type: "category", data: chart.periods },
      yAxis: { type: "value" },
      series: [
        { name: principal, type: "bar", stack: "total", data: chart.principal.map(Number) },
        { name: interest, type: "bar", stack: "total", data: chart.interest.map(Number) }
      ]
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
})();
