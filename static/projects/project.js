/* A project's page: the year's completed investment against its 序时进度.
 *
 * Reads #project-chart (json_script; numbers arrive as strings, in 万元) and draws
 * <div data-chart="project-progress"> with ECharts from the portal's own static files.
 * Only the portal's own words (series names, months) reach the chart; the tooltip is
 * built from numbers alone. The chart sets data-drawn="true" once drawn.
 */
(function () {
  "use strict";

  function num(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function show(value) {
    return value === null || value === undefined || isNaN(value)
      ? "—"
      : Number(value).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function start() {
    var source = document.getElementById("project-chart");
    var el = document.querySelector('[data-chart="project-progress"]');
    if (!source || !el || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var completed = (data.completed || []).map(num);
    var schedule = (data.schedule || []).map(num);
    if (!completed.some(function (v) { return v !== null; }) && !schedule.some(function (v) { return v !== null; })) {
      el.textContent = "本年尚无完成投资和年度计划数据。";
      el.setAttribute("data-drawn", "true");
      return;
    }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () {
      el.setAttribute("data-drawn", "true");
    });
    chart.setOption({
      color: ["#15508f", "#e0a526"],
      grid: { left: 8, right: 12, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: {
        trigger: "axis",
        confine: true,
        formatter: function (items) {
          var month = items.length ? items[0].dataIndex + 1 : "";
          return [month + "月"].concat(items.map(function (item) {
            return (item.seriesIndex === 0 ? "累计完成投资" : "序时进度") + "：" + show(item.value) + "万元";
          })).join("<br>");
        },
      },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: "万元" },
      series: [
        { name: "累计完成投资", type: "bar", data: completed },
        { name: "序时进度", type: "line", data: schedule, lineStyle: { type: "dashed" } },
      ],
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
