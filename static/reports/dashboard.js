/* The dashboard's and the enterprise page's charts.
 *
 * Reads the figures the server wrote with json_script (#dashboard-data or
 * #enterprise-data; numbers arrive as strings, money already in the unit each
 * chart names) and draws each <div class="chart" data-chart="…"> with ECharts,
 * served from the portal's own static files, on a canvas. Charts follow the
 * window's width, so a phone shows them without zooming. A chart sets
 * data-drawn="true" once ECharts has finished drawing it.
 *
 * Names come from the data (enterprises, parks, industries, indicators). Axis labels,
 * legends and series labels are drawn on the canvas as plain text; tooltips are HTML,
 * so every tooltip formatter passes each piece of text through escapeHtml.
 */
(function () {
  "use strict";

  var BLUE = "#15508f";
  var LIGHT = "#9fb3cc";
  var GOLD = "#e0a526";
  var GREEN = "#1e6b3a";
  var PALETTE = [BLUE, GOLD, "#3a8d6e", "#c05a2c", "#6c5bb5", "#2d9cdb", "#8a5a00", LIGHT];
  var charts = [];

  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return HTML_ESCAPES[c];
    });
  }

  /* A tooltip's lines as HTML: each text escaped; a line {marker, text} keeps the
   * series' colour dot, which is ECharts' own markup. */
  function tooltipLines(lines) {
    return lines
      .map(function (line) {
        return line !== null && typeof line === "object" ? line.marker + escapeHtml(line.text) : escapeHtml(line);
      })
      .join("<br>");
  }

  function num(value) {
    return value === null || value === undefined || value === "" ? null : Number(value);
  }

  function nums(list) {
    return (list || []).map(num);
  }

  function narrow() {
    return window.innerWidth < 640;
  }

  function show(value, unit) {
    if (value === null || value === undefined || isNaN(value)) {
      return "—";
    }
    return value.toLocaleString("zh-CN", { maximumFractionDigits: 4 }) + (unit || "");
  }

  function showGrowth(value) {
    if (value === null || value === undefined || isNaN(value)) {
      return "—";
    }
    return (value > 0 ? "+" : "") + value.toFixed(2) + "%";
  }

  function hasData(list) {
    return (list || []).some(function (value) {
      return value !== null && value !== undefined && !isNaN(value);
    });
  }

  function base(option) {
    var font = window.getComputedStyle(document.body).fontFamily;
    var small = narrow();
    return Object.assign(
      {
        color: PALETTE,
        animationDuration: 300,
        animationDurationUpdate: 300,
        textStyle: { fontFamily: font, fontSize: small ? 11 : 12 },
        grid: { left: 8, right: 12, top: 40, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", confine: true },
        legend: { top: 0, type: "scroll", itemWidth: 14, itemHeight: 10 },
      },
      option
    );
  }

  function draw(el, option) {
    var chart = echarts.getInstanceByDom(el);
    if (!chart) {
      el.textContent = "";
      chart = echarts.init(el, null, { renderer: "canvas" });
      chart.on("finished", function () {
        el.setAttribute("data-drawn", "true");
      });
      charts.push(chart);
    }
    el.removeAttribute("data-drawn");
    el.classList.remove("chart--empty");
    chart.setOption(option, true);
    return chart;
  }

  function nothing(el, text) {
    var chart = echarts.getInstanceByDom(el);
    if (chart) {
      charts.splice(charts.indexOf(chart), 1);
      chart.dispose();
    }
    el.classList.add("chart--empty");
    el.removeAttribute("data-drawn");
    el.textContent = text || "暂无数据";
  }

  function axisTooltip(unit, labels) {
    return function (items) {
      var index = items.length ? items[0].dataIndex : 0;
      var head = labels ? labels[index] : items.length ? items[0].axisValueLabel : "";
      return tooltipLines(
        [head].concat(
          items.map(function (item) {
            var name = String(item.seriesName);
            var label = item.data && item.data.label ? "（" + item.data.label + "）" : "";
            var value = item.value !== null && typeof item.value === "object" ? item.value.value : item.value;
            var text = name.indexOf("增速") >= 0 ? showGrowth(num(value)) : show(num(value), unit);
            return { marker: item.marker, text: name + label + "：" + text };
          })
        )
      );
    };
  }

  /* ---- The dashboard ---- */

  function dashboard(data) {
    var period = data.period;
    var thisYear = period.year + "年";
    var lastYear = period.year - 1 + "年";
    var select = document.getElementById("chart-indicator");
    var current = data.series ? data.series.code : null;

    function indicatorOf(code) {
      return (data.indicators || []).filter(function (item) {
        return item.code === code;
      })[0];
    }

    function cumulative(el) {
      var series = data.series;
      if (!series || !(hasData(nums(series.cumulative)) || hasData(nums(series.last_cumulative)))) {
        return nothing(el);
      }
      draw(
        el,
        base({
          tooltip: { trigger: "axis", confine: true, formatter: axisTooltip(series.unit) },
          xAxis: { type: "category", data: series.months, boundaryGap: false },
          yAxis: { type: "value", name: series.unit, nameTextStyle: { align: "left" } },
          series: [
            { name: thisYear + series.name, type: "line", data: nums(series.cumulative), symbolSize: 6, lineStyle: { width: 3 } },
            { name: lastYear + series.name, type: "line", data: nums(series.last_cumulative), symbolSize: 4, lineStyle: { type: "dashed" }, color: LIGHT },
          ],
        })
      );
    }

    function monthly(el) {
      var series = data.series;
      if (!series || !(hasData(nums(series.own)) || hasData(nums(series.last_own)))) {
        return nothing(el);
      }
      function points(values, labels) {
        return nums(values).map(function (value, index) {
          return { value: value, label: labels[index].indexOf("-") >= 0 ? labels[index] : "" };
        });
      }
      draw(
        el,
        base({
          tooltip: { trigger: "axis", confine: true, formatter: axisTooltip(series.unit) },
          xAxis: { type: "category", data: series.months },
          yAxis: { type: "value", name: series.unit, nameTextStyle: { align: "left" } },
          series: [
            { name: thisYear, type: "bar", data: points(series.own, series.own_labels), color: BLUE, barMaxWidth: 18 },
            { name: lastYear, type: "bar", data: points(series.last_own, series.last_own_labels), color: LIGHT, barMaxWidth: 18 },
          ],
        })
      );
    }

    function groups(el, chart, horizontal) {
      var figures = chart && chart.by_indicator[current];
      var indicator = indicatorOf(current);
      if (!figures || !(hasData(nums(figures.current)) || hasData(nums(figures.last_year)))) {
        return nothing(el);
      }
      var unit = indicator ? indicator.unit : "";
      var categoryAxis = {
        type: "category",
        data: chart.names,
        inverse: horizontal,
        axisLabel: { interval: 0, width: narrow() ? 72 : 110, overflow: "truncate" },
      };
      var valueAxis = { type: "value", name: unit, nameTextStyle: { align: horizontal ? "right" : "left" } };
      var option = base({
        tooltip: { trigger: "axis", confine: true, formatter: axisTooltip(unit) },
        legend: { top: 0, type: "scroll", itemWidth: 14, itemHeight: 10 },
        series: [
          { name: thisYear, type: "bar", data: nums(figures.current), color: BLUE, barMaxWidth: 22 },
          { name: lastYear, type: "bar", data: nums(figures.last_year), color: LIGHT, barMaxWidth: 22 },
        ],
      });
      if (horizontal) {
        option.yAxis = categoryAxis;
        option.xAxis = valueAxis;
        option.series.push({ name: "增速(%)", type: "scatter", data: nums(figures.growth), xAxisIndex: 1, color: GOLD, symbolSize: 9 });
        option.xAxis = [
          valueAxis,
          {
            type: "value",
            position: "top",
            boundaryGap: ["10%", "10%"],
            splitLine: { show: false },
            axisLabel: { formatter: "{value}%", hideOverlap: true },
          },
        ];
        option.grid = { left: 8, right: 18, top: 56, bottom: 8, containLabel: true };
      } else {
        option.xAxis = categoryAxis;
        option.yAxis = [
          valueAxis,
          { type: "value", name: "增速(%)", boundaryGap: ["10%", "10%"], splitLine: { show: false } },
        ];
        option.series.push({ name: "增速(%)", type: "line", yAxisIndex: 1, data: nums(figures.growth), color: GOLD, symbolSize: 8 });
      }
      draw(el, option);
    }

    function ranking(el) {
      var item = data.rankings[Number(el.getAttribute("data-index"))];
      if (!item || !item.values.length) {
        return nothing(el);
      }
      var chart = draw(
        el,
        base({
          legend: { show: false },
          grid: { left: 8, right: 56, top: 24, bottom: 8, containLabel: true },
          tooltip: {
            trigger: "item",
            confine: true,
            formatter: function (point) {
              var index = point.dataIndex;
              return tooltipLines([
                item.names[index],
                item.parks[index],
                item.name + "：" + show(num(item.values[index]), item.unit),
                "同比：" + showGrowth(num(item.growth[index])),
              ]);
            },
          },
          xAxis: { type: "value", name: item.unit, axisLabel: { hideOverlap: true } },
          yAxis: {
            type: "category",
            inverse: true,
            data: item.names,
            axisLabel: { width: narrow() ? 84 : 150, overflow: "truncate" },
          },
          series: [
            {
              name: item.name,
              type: "bar",
              data: nums(item.values),
              color: BLUE,
              barMaxWidth: 18,
              cursor: "pointer",
              label: { show: !narrow(), position: "right", formatter: function (p) { return show(p.value); } },
            },
          ],
        })
      );
      chart.off("click");
      chart.on("click", function (point) {
        if (item.urls[point.dataIndex]) {
          window.location.href = item.urls[point.dataIndex];
        }
      });
    }

    function stages(el) {
      var stage = data.stages;
      if (!stage.counts.some(function (n) { return n > 0; })) {
        return nothing(el, "没有项目");
      }
      draw(
        el,
        base({
          legend: { show: false },
          tooltip: {
            trigger: "axis",
            confine: true,
            formatter: function (items) {
              var index = items[0].dataIndex;
              return tooltipLines([
                stage.labels[index] + "：" + stage.counts[index] + "个",
                "总投资：" + show(num(stage.investment[index]), "亿元"),
              ]);
            },
          },
          xAxis: { type: "category", data: stage.labels, axisLabel: { interval: 0 } },
          yAxis: { type: "value", name: "个", minInterval: 1 },
          series: [{ name: "项目", type: "bar", data: stage.counts, color: BLUE, barMaxWidth: 32, label: { show: true, position: "top" } }],
        })
      );
    }

    function funnel(el) {
      var steps = data.funnel;
      var most = Math.max.apply(null, steps.counts);
      if (!most) {
        return nothing(el, "本年尚无到达任何阶段的招商项目");
      }
      draw(
        el,
        base({
          legend: { show: false },
          tooltip: {
            trigger: "item",
            confine: true,
            formatter: function (point) {
              return tooltipLines([point.name + "：" + point.value + "个"]);
            },
          },
          series: [
            {
              name: "本年招商推进",
              type: "funnel",
              sort: "none",
              // To scale: a stage's width is its count against the largest, and a
              // stage of 0 is drawn as nothing, its label beside it still.
              min: 0,
              max: most,
              minSize: "0%",
              maxSize: "100%",
              left: "4%",
              width: "62%",
              top: 8,
              bottom: 8,
              gap: 2,
              label: { show: true, position: "right", formatter: "{b} {c}个", color: "#1f2933" },
              labelLine: { show: true, length: 12 },
              data: steps.labels.map(function (label, index) {
                return { name: label, value: steps.counts[index] };
              }),
            },
          ],
        })
      );
    }

    function channels(el) {
      var channel = data.channels;
      if (!channel.counts.some(function (n) { return n > 0; })) {
        return nothing(el, "本年尚无对接项目");
      }
      var small = narrow();
      draw(
        el,
        base({
          tooltip: {
            trigger: "item",
            confine: true,
            formatter: function (point) {
              return tooltipLines([point.name + "：" + point.value + "个（" + point.percent + "%）"]);
            },
          },
          legend: small ? { bottom: 0, type: "scroll" } : { orient: "vertical", right: 0, top: "middle", type: "scroll" },
          series: [
            {
              name: "招商方式",
              type: "pie",
              radius: small ? ["32%", "58%"] : ["38%", "68%"],
              center: small ? ["50%", "44%"] : ["38%", "52%"],
              label: { formatter: "{c}", fontSize: 11 },
              data: channel.labels
                .map(function (label, index) {
                  return { name: label, value: channel.counts[index] };
                })
                .filter(function (item) {
                  return item.value > 0;
                }),
            },
          ],
        })
      );
    }

    var drawers = {
      cumulative: cumulative,
      monthly: monthly,
      parks: function (el) { groups(el, data.parks, false); },
      industries: function (el) { groups(el, data.industries, true); },
      ranking: ranking,
      stages: stages,
      funnel: funnel,
      channels: channels,
    };

    function drawAll(kinds) {
      document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
        var kind = el.getAttribute("data-chart");
        if (drawers[kind] && (!kinds || kinds.indexOf(kind) >= 0)) {
          drawers[kind](el);
        }
      });
    }

    function switchTo(code) {
      var indicator = indicatorOf(code);
      var url = select.getAttribute("data-series-url") + "&indicator=" + encodeURIComponent(code);
      select.disabled = true;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (series) {
          data.series = series;
          current = code;
          document.querySelectorAll("[data-unit=series]").forEach(function (el) {
            el.textContent = el.textContent.replace(/单位：[^；]*/, "单位：" + (indicator ? indicator.unit : series.unit));
          });
          var params = new URLSearchParams(window.location.search);
          params.set("indicator", code);
          window.history.replaceState(null, "", "?" + params.toString());
          drawAll(["cumulative", "monthly", "parks", "industries"]);
        })
        .catch(function () {
          window.alert("图表数据读取失败，请刷新页面后重试。");
          select.value = current;
        })
        .finally(function () {
          select.disabled = false;
        });
    }

    if (select) {
      select.addEventListener("change", function () {
        switchTo(select.value);
      });
    }
    drawAll();
  }

  /* ---- An enterprise's page ---- */

  function enterprise(data) {
    var select = document.getElementById("enterprise-indicator");
    var el = document.querySelector(".chart[data-chart=enterprise]");
    var title = document.querySelector("[data-enterprise-title]");
    var unitText = document.querySelector("[data-enterprise-unit]");

    function render() {
      var code = select ? select.value : data.indicators[0].code;
      var line = data.indicators.filter(function (item) {
        return item.code === code;
      })[0];
      if (!line) {
        return nothing(el);
      }
      var values = line.cumulative.map(nums);
      if (!values.some(hasData)) {
        return nothing(el, "近三年没有" + line.name + "数据");
      }
      if (title) {
        title.textContent = line.name + (line.is_flow ? "各月累计值" : "各月数据");
      }
      if (unitText) {
        unitText.textContent = "单位：" + line.unit;
      }
      draw(
        el,
        base({
          tooltip: { trigger: "axis", confine: true, formatter: axisTooltip(line.unit) },
          xAxis: { type: "category", data: data.months, boundaryGap: false },
          yAxis: { type: "value", name: line.unit, nameTextStyle: { align: "left" } },
          series: data.years.map(function (year, index) {
            var latest = index === data.years.length - 1;
            return {
              name: year + "年",
              type: "line",
              data: values[index],
              connectNulls: false,
              symbolSize: latest ? 6 : 4,
              lineStyle: { width: latest ? 3 : 2, type: latest ? "solid" : "dashed" },
              color: [LIGHT, GREEN, BLUE][index + 3 - data.years.length] || BLUE,
            };
          }),
        })
      );
    }

    if (select) {
      select.addEventListener("change", render);
    }
    if (el) {
      render();
    }
  }

  function start() {
    var board = document.getElementById("dashboard-data");
    var page = document.getElementById("enterprise-data");
    if (typeof echarts === "undefined") {
      document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
        el.classList.add("chart--empty");
        el.textContent = "图表组件未能加载（static/vendor/echarts），请联系管理员。";
      });
      return;
    }
    if (board) {
      dashboard(JSON.parse(board.textContent));
    }
    if (page) {
      enterprise(JSON.parse(page.textContent));
    }
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) {
          chart.resize();
        });
      }, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
