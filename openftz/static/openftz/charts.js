/* Charts of the tracker, drawn with the vendored Apache ECharts. */
(function () {
  "use strict";
  const RAG = {green: "#43a047", amber: "#fb8c00", red: "#e53935", grey: "#90a4ae"};

  function init(id) {
    const el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    const chart = window.echarts.init(el, null, {renderer: "svg"});
    window.addEventListener("resize", () => chart.resize());
    return chart;
  }

  function chapterBars(id, data) {
    const chart = init(id);
    if (!chart) return;
    const narrow = document.getElementById(id).clientWidth < 600;
    chart.setOption({
      grid: {left: narrow ? 120 : 220, right: 40, top: 20, bottom: 30},
      xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
      yAxis: {type: "category", data: data.labels, inverse: true, axisLabel: {width: narrow ? 110 : 200, overflow: "truncate"}},
      tooltip: {trigger: "axis", valueFormatter: v => v + "%"},
      series: [{type: "bar", data: data.values, itemStyle: {color: "#2e7d32"}, label: {show: true, position: "right", formatter: "{c}%"}}],
    });
  }

  function heatmap(id, data) {
    const chart = init(id);
    if (!chart) return;
    chart.setOption({
      // the legend (visual map) sits above the grid, so that it never covers the chapter labels below it
      grid: {left: 260, right: 30, top: 60, bottom: 120},
      tooltip: {formatter: p => `${data.units[p.value[1]]}<br>${data.chapter_labels[p.value[0]]}: ${p.value[2]}%`},
      xAxis: {type: "category", data: data.chapter_labels, axisLabel: {rotate: 30, width: 140, overflow: "truncate"}},
      yAxis: {type: "category", data: data.units, inverse: true, axisLabel: {width: 240, overflow: "truncate", interval: 0}},
      visualMap: {min: 0, max: 100, orient: "horizontal", left: "center", top: 0, calculable: true,
                  text: ["100%", (data.labels && data.labels.progress ? data.labels.progress + " " : "") + "0%"],
                  inRange: {color: ["#fdecea", "#fff4e5", "#e8f5e9", "#2e7d32"]}},
      series: [{type: "heatmap", data: data.heatmap, label: {show: true, fontSize: 10}}],
    });
  }

  function timeline(id, rows, labels) {
    labels = labels || {};
    const chart = init(id);
    if (!chart) return;
    chart.setOption({
      grid: {left: 50, right: 20, top: 30, bottom: 40},
      legend: {top: 0},
      tooltip: {trigger: "axis"},
      xAxis: {type: "category", data: rows.map(r => r.date)},
      yAxis: {type: "value", name: labels.tasks || ""},
      series: ["red", "amber", "green", "grey"].map(k => ({
        name: labels[k] || k, type: "bar", stack: "rag", data: rows.map(r => r[k]), itemStyle: {color: RAG[k]},
      })),
    });
  }

  window.OpenFTZCharts = {chapterBars, heatmap, timeline};
})();
