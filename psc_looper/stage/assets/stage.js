// The stage page: draws each state the backend pushes over the WebSocket and sends
// {"action": NAME} for a button. No library, nothing fetched: it works offline.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.search).get("token");
  const socketUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    "/ws" + (token ? "?token=" + encodeURIComponent(token) : "");
  let socket = null;
  let shownChart = "";

  function text(id, value) { const el = $(id); if (el.textContent !== value) el.textContent = value; }

  function drawChart(state) {
    const cells = state.chart || Array.from({ length: state.bars }, () => "");
    const key = JSON.stringify(cells);
    const chart = $("chart");
    if (key !== shownChart) {
      chart.replaceChildren(...cells.map((name, k) => {
        const bar = document.createElement("div");
        bar.className = "bar";
        bar.dataset.bar = String(k + 1);
        const n = document.createElement("span");
        n.className = "n";
        n.textContent = String(k + 1);
        bar.append(n, document.createTextNode(name || "·"));
        return bar;
      }));
      shownChart = key;
      chart.style.setProperty("--cols", cells.length > 16 ? "8" : "4");
    }
    const lit = state.chart ? state.form_bar : state.bar;
    Array.from(chart.children).forEach((bar, k) => bar.classList.toggle("lit", k === lit));
  }

  function drawBeats(state) {
    const beats = $("beats");
    if (beats.children.length !== state.beats) {
      beats.replaceChildren(...Array.from({ length: state.beats }, (_, k) => {
        const dot = document.createElement("div");
        dot.className = "beat" + (k === 0 ? " first" : "");
        return dot;
      }));
    }
    Array.from(beats.children).forEach((dot, k) =>
      dot.classList.toggle("on", state.playing && state.count_in === null && k === state.beat));
  }

  function drawTurn(state) {
    const turn = $("turn");
    const t = state.turn;
    const improv = state.mode === "improv";
    turn.className = "turn" + (t && improv ? " " + t.who : "");
    if (!t) { text("who", "—"); text("left", "no improv model loaded"); return; }
    if (!improv) { text("who", "you"); text("left", "improv off (" + t.mode + ")"); return; }
    text("who", t.held ? "YOU (held)" : t.who === "machine" ? "MACHINE" : "YOU");
    const left = t.bars_left === null ? t.mode
      : t.mode + ": " + t.bars_left + " bar" + (t.bars_left === 1 ? "" : "s") + " left";
    text("left", left);
  }

  function drawSong(state) {
    const song = state.song;
    text("song", song ? song.name : "—");
    text("section", song && song.section ? "[" + song.section + "]" : "");
    const list = $("setlist");
    const names = song && song.setlist.length ? song.setlist : [song ? song.name : "—"];
    const key = JSON.stringify(names);
    if (list.dataset.key !== key) {
      list.replaceChildren(...names.map((name) => {
        const li = document.createElement("li");
        li.textContent = name;
        return li;
      }));
      list.dataset.key = key;
    }
    const now = song && song.setlist.length ? song.index : 0;
    Array.from(list.children).forEach((li, k) => li.classList.toggle("now", k === now));
    text("coming", song && song.next_section ? "next section: " + song.next_section : "");
  }

  function drawAudio(state) {
    const audio = state.audio;
    const pill = $("audio");
    pill.hidden = !audio;
    if (!audio) return;
    const xruns = audio.xruns === null ? "xruns not counted"
      : audio.xruns + " xrun" + (audio.xruns === 1 ? "" : "s");
    text("audio", "JACK " + (audio.period === null ? "?" : audio.period) + " · " + xruns);
    pill.title = audio.period === null ? "a JACK server not ours"
      : (audio.period / audio.rate * 1000).toFixed(2) + " ms period at " + audio.rate + " Hz";
    pill.classList.toggle("some", !!audio.xruns);
    pill.classList.toggle("alert", !!audio.alert);
  }

  function drawBand(state) {
    const band = state.band;
    const box = $("band");
    box.hidden = !band;
    if (!band) return;
    box.classList.toggle("on", band.on);
    text("band-state", band.on ? band.style + (band.held ? " · held" : "") : "off");
    const info = !band.on ? "a walking bass and drums from the chart [w]"
      : band.chart_bars === null ? "no chart (--changes or [band] chart)"
      : band.chart_bars + "-bar chart · " + band.choruses + " chorus" +
        (band.choruses === 1 ? "" : "es") + (band.late ? " · " + band.late + " late" : "");
    text("band-info", info);
    $("band-info").classList.toggle("late", band.on && band.late > 0);
    text("band-on", band.on ? "Band off" : "Band on");
    $("band-on").classList.toggle("active", band.on);
    $("band-hold").classList.toggle("active", band.held);
  }

  function draw(state) {
    const playing = $("state");
    text("state", state.playing ? "PLAYING" : "stopped");
    playing.classList.toggle("playing", state.playing);
    text("mode", state.mode);
    text("tempo", state.qpm + " qpm · " + state.meter + " · loop " + state.loop);
    const position = $("position");
    position.classList.toggle("count", state.count_in !== null);
    text("position", state.count_in !== null ? "count-in " + state.count_in
      : "bar " + (state.bar + 1) + "/" + state.bars + "  beat " + (state.beat + 1));
    text("chord", state.chord || "");
    text("next", state.next_chord ? "→ " + state.next_chord : "");
    const armed = $("armed");
    armed.hidden = !state.armed;
    text("armed", state.armed);
    drawChart(state);
    drawBeats(state);
    drawTurn(state);
    drawSong(state);
    text("machine", state.machine ? "machine: " + state.machine : "");
    const play = $("play");
    text("play", state.playing ? "Stop" : "Play");
    play.classList.toggle("stop", state.playing);
    document.querySelectorAll("button[data-action^='mode:']").forEach((b) =>
      b.classList.toggle("active", b.dataset.action === "mode:" + state.mode));
    $("machine-hold").classList.toggle("active", !!(state.turn && state.turn.held));
    drawAudio(state);
    drawBand(state);
    const messages = $("messages");
    const key = JSON.stringify(state.messages);
    if (messages.dataset.key !== key) {
      messages.replaceChildren(...state.messages.map((m) => {
        const li = document.createElement("li");
        li.textContent = m;
        return li;
      }));
      messages.dataset.key = key;
    }
    document.body.dataset.bar = String(state.chart ? state.form_bar : state.bar);
  }

  function connect() {
    socket = new WebSocket(socketUrl);
    socket.onopen = () => $("link").classList.add("up");
    socket.onmessage = (event) => draw(JSON.parse(event.data));
    socket.onclose = () => {
      $("link").classList.remove("up");
      setTimeout(connect, 1000);
    };
  }

  document.querySelectorAll("button[data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ action: button.dataset.action }));
      }
    });
  });
  connect();
})();
