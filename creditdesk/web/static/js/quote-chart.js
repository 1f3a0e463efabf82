// Draws the principal-vs-interest chart of a quote from the JSON the server put in #quote-chart-data.
// Loaded as a file (no inline script: the Content-Security-Policy allows only 'self').
(function () {
  function draw() {
    var data = document.getElementById("quote-chart-data");
    var target = document.getElementById("quote-chart");
    if (!data || !target || !window.echarts) return;
    var chart = JSON.parse(data.textContent);
    if (!chart) return;
    var instance = window.echarts.getInstanceByDom(target) || window.echarts.init(target);
    instance.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["本金 Principal", "利息 Interest"] },
      xAxis: { type: "category", data: chart.periods },
      yAxis: { type: "value" },
      series: [
        { name: "本金 Principal", type: "bar", stack: "total", data: chart.principal.map(Number) },
        { name: "利息 Interest", type: "bar", stack: "total", data: chart.interest.map(Number) }
      ]
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
})();
