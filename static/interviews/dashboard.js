/* The live dashboard: a snapshot drawn as tables and two small SVG charts, changes pushed
   over a websocket (ws/dashboard/), and a poll of the snapshot as the fallback for changes
   the channel layer cannot carry here (see interviews/live.py). */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var config = JSON.parse(document.getElementById("dashboard-config").textContent);
  var state = { socket: null, retries: 0, refetchTimer: null, live: false };

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function svg(tag, attributes, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // "today, 15:38", "yesterday, 09:05", "12 Mar, 15:38": as the back office's pages say it.
  function when(iso) {
    if (!iso) return "-";
    var date = new Date(iso);
    var clock = pad(date.getHours()) + ":" + pad(date.getMinutes());
    var today = new Date();
    today.setHours(0, 0, 0, 0);
    var day = new Date(date.getTime());
    day.setHours(0, 0, 0, 0);
    var daysAgo = Math.round((today - day) / 86400000);
    if (daysAgo === 0) return "today, " + clock;
    if (daysAgo === 1) return "yesterday, " + clock;
    var label = date.getDate() + " " + date.toLocaleString("en-GB", { month: "short" });
    if (date.getFullYear() !== today.getFullYear()) label += " " + date.getFullYear();
    return label + ", " + clock;
  }

  function setLiveState(name, text) {
    var node = $("live-state");
    node.dataset.state = name;
    node.textContent = text;
  }

  // --- Tables ---------------------------------------------------------------------------

  var COLUMNS = {
    "in-progress": [
      ["Candidate", "candidate"],
      ["Position", "position"],
      ["Status", "status"],
      ["Started", "started_at"],
    ],
    waiting: [
      ["Candidate", "candidate"],
      ["Position", "position"],
      ["Status", "status"],
      ["Last change", "updated_at"],
    ],
    "finished-today": [
      ["Candidate", "candidate"],
      ["Position", "position"],
      ["Status", "status"],
      ["Ended", "ended_at"],
    ],
  };

  function cell(row, key) {
    if (key === "status") {
      var td = el("td", row.status_label, "status");
      td.dataset.status = row.status;
      return td;
    }
    if (key === "candidate") {
      var name = el("td");
      var link = el("a", row.candidate || "Not identified yet");
      link.href = row.report_url;
      name.appendChild(link);
      return name;
    }
    if (key.slice(-3) === "_at") return el("td", when(row[key]));
    return el("td", row[key]);
  }

  function renderTable(id, rows, emptyText) {
    var table = $(id);
    table.replaceChildren();
    var head = el("thead");
    var headRow = el("tr");
    COLUMNS[id].forEach(function (column) {
      var th = el("th", column[0]);
      th.scope = "col";
      headRow.appendChild(th);
    });
    headRow.appendChild(el("th", "Open")).scope = "col";
    head.appendChild(headRow);
    table.appendChild(head);
    var body = el("tbody");
    if (!rows.length) {
      var empty = el("tr");
      var td = el("td", emptyText, "muted");
      td.colSpan = COLUMNS[id].length + 1;
      empty.appendChild(td);
      body.appendChild(empty);
    }
    rows.forEach(function (row) {
      var tr = el("tr");
      tr.dataset.id = row.id;
      COLUMNS[id].forEach(function (column) {
        tr.appendChild(cell(row, column[1]));
      });
      var links = el("td");
      var open = el("a", "Report");
      open.href = row.report_url;
      links.appendChild(open);
      if (row.watch_url) {
        links.appendChild(document.createTextNode(" \u00b7 "));
        var watch = el("a", "Watch live");
        watch.href = row.watch_url;
        links.appendChild(watch);
      }
      tr.appendChild(links);
      body.appendChild(tr);
    });
    table.appendChild(body);
  }

  // --- Charts ---------------------------------------------------------------------------

  var BAR_HEIGHT = 22;
  var LABEL_WIDTH = 150;
  var CHART_WIDTH = 420;

  function barChart(id, items, maximum, format) {
    var chart = $(id);
    chart.replaceChildren();
    var height = Math.max(items.length, 1) * (BAR_HEIGHT + 8) + 8;
    chart.setAttribute("viewBox", "0 0 " + CHART_WIDTH + " " + height);
    chart.setAttribute("width", CHART_WIDTH);
    chart.setAttribute("height", height);
    if (!items.length) {
      chart.appendChild(svg("text", { x: 0, y: 20, class: "chart-label" }, "No data yet"));
      return;
    }
    var room = CHART_WIDTH - LABEL_WIDTH - 50;
    items.forEach(function (item, index) {
      var y = 8 + index * (BAR_HEIGHT + 8);
      var width = maximum > 0 ? Math.round((item.value / maximum) * room) : 0;
      var group = svg("g", { class: "chart-row " + (item.className || "") });
      group.appendChild(svg("title", {}, item.label + ": " + format(item.value)));
      group.appendChild(
        svg("text", { x: LABEL_WIDTH - 8, y: y + 16, "text-anchor": "end", class: "chart-label" }, item.label)
      );
      group.appendChild(
        svg("rect", { x: LABEL_WIDTH, y: y, width: Math.max(width, 1), height: BAR_HEIGHT, class: "chart-bar" })
      );
      group.appendChild(
        svg("text", { x: LABEL_WIDTH + width + 6, y: y + 16, class: "chart-value" }, format(item.value))
      );
      chart.appendChild(group);
    });
  }

  function render(snapshot) {
    var interviewers = snapshot.interviewers;
    $("interviewers-workers").textContent = interviewers.workers;
    $("interviewers-capacity").textContent = interviewers.capacity;
    $("interviewers-in-use").textContent = interviewers.in_use;
    $("interviewers-starting").textContent = interviewers.starting;
    $("interviewers-in-line").textContent = interviewers.in_line;
    var counts = $("counts");
    counts.replaceChildren();
    var largest = 0;
    snapshot.counts.forEach(function (row) {
      var item = el("li");
      item.dataset.status = row.status;
      item.appendChild(el("span", String(row.count), "count"));
      item.appendChild(el("span", row.label, "label"));
      counts.appendChild(item);
      largest = Math.max(largest, row.count);
    });
    barChart(
      "status-chart",
      snapshot.counts.map(function (row) {
        return { label: row.label, value: row.count, className: "status-" + row.status };
      }),
      largest,
      String
    );
    // Scores are shown only to those who may see them (the page leaves the chart out).
    if ($("score-chart")) {
      barChart(
        "score-chart",
        snapshot.scores_by_position.map(function (row) {
          return { label: row.position, value: row.average };
        }),
        5,
        function (value) {
          return value.toFixed(1);
        }
      );
    }
    renderTable("in-progress", snapshot.in_progress, "No interview is in progress.");
    renderTable("waiting", snapshot.waiting, "No interview is waiting.");
    renderTable("finished-today", snapshot.finished_today, "No interview has finished today.");
    $("in-progress-count").textContent = snapshot.in_progress.length;
    $("waiting-count").textContent = snapshot.waiting_total;
    $("finished-count").textContent = snapshot.finished_today_total;
    var generated = $("generated-at");
    generated.dateTime = snapshot.generated_at;
    generated.textContent = new Date(snapshot.generated_at).toLocaleTimeString();
  }

  // --- Updates --------------------------------------------------------------------------

  function refetch() {
    return fetch(config.snapshotUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) throw new Error("refused");
        return response.json();
      })
      .then(render)
      .catch(function () {
        setLiveState("error", "Cannot update: reload the page (you may need to log in again).");
      });
  }

  function refetchSoon() {
    clearTimeout(state.refetchTimer);
    state.refetchTimer = setTimeout(refetch, 150);
  }

  function applyChange(interview) {
    // Show the new status at once; the snapshot that follows moves the row and the charts.
    document.querySelectorAll('tr[data-id="' + interview.id + '"] td.status').forEach(function (td) {
      td.textContent = interview.status_label;
      td.dataset.status = interview.status;
    });
    refetchSoon();
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + config.websocketPath);
    state.socket = socket;
    socket.onopen = function () {
      state.retries = 0;
      setLiveState("live", "Live: changes appear as they happen.");
      refetchSoon(); // catch up on anything missed while disconnected
    };
    socket.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type === "interview.changed" && message.interview) applyChange(message.interview);
    };
    socket.onclose = function () {
      if (state.socket !== socket) return;
      state.socket = null;
      var delay = Math.min(30, Math.pow(2, state.retries)) * 1000;
      state.retries += 1;
      setLiveState(
        "reconnecting",
        "Reconnecting to live updates; meanwhile the page refreshes every " + config.pollSeconds + " s."
      );
      setTimeout(connect, delay);
    };
  }

  render(JSON.parse(document.getElementById("dashboard-snapshot").textContent));
  setInterval(refetch, config.pollSeconds * 1000);
  connect();
  document.body.dataset.ready = "true";
})();
