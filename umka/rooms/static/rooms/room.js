/* Umka rooms: lobby, chat and video (P2P mesh or Janus VideoRoom).
 * Plain ES2020, no build step. Spec: umka/rooms/README.md. */
(() => {
  'use strict';

  const cfgEl = document.getElementById('room-config');
  if (!cfgEl) return;
  const cfg = JSON.parse(cfgEl.textContent);

  // ---- UI strings (translated server-side in cfg.strings; English fallbacks) ----
  const STRINGS = {
    camera_ok: 'Camera works',
    camera_none: 'No camera found',
    mic_ok: 'Microphone works: say something and watch the level',
    mic_none: 'No microphone found',
    devices_denied: 'The browser does not allow the camera and microphone. Allow them (the icon in the address bar) and check again.',
    devices_busy: 'The camera or microphone is used by another application. Close it and check again.',
    devices_unsupported: 'This browser cannot use a camera or microphone here. You can still watch, listen and write in the chat.',
    devices_failed: 'The camera and microphone could not be started.',
    connecting: 'Connecting…',
    connected: 'You are in the room.',
    reconnecting: 'Connection lost. Reconnecting…',
    closed_by_organiser: 'The organiser has closed the room.',
    closed_not_open: 'The room is not open now.',
    room_closed: 'The room is closed.',
    not_allowed: 'You cannot enter this room.',
    left: 'You have left the room.',
    you: '(you)',
    mic_on: 'Microphone on',
    mic_off: 'Microphone off',
    cam_on: 'Camera on',
    cam_off: 'Camera off',
    screen_start: 'Share screen',
    screen_stop: 'Stop sharing',
    screen_failed: 'Screen sharing did not start.',
    hand_raise: 'Raise hand',
    hand_lower: 'Lower hand',
    hand_raised: 'raised a hand',
    role_organiser: 'organiser',
    role_participant: 'participant',
    role_observer: 'observer',
    is_muted: 'muted',
    may_speak: 'speaks',
    mute: 'Mute',
    unmute: 'Unmute',
    allow_speak: 'Let speak',
    forbid_speak: 'Stop speaking',
    delete: 'Delete',
    message_deleted: 'Message deleted',
    sending: 'sending…',
    typing_one: '{name} is typing…',
    typing_many: 'Several people are typing…',
    you_are_muted: 'The organiser has muted you: you cannot write in the chat or speak.',
    you_may_speak: 'The organiser has let you speak: your camera and microphone are on.',
    you_may_not_speak: 'The organiser has stopped your speaking.',
    too_long: 'The message is too long: {count} characters of {max}.',
    file_too_big: 'The file is too large: at most {mb} MB.',
    file_failed: 'The file could not be sent.',
    link_prompt: 'Link address (https://…)',
    link_invalid: 'Only http, https and mailto links are allowed.',
    media_unavailable: 'The video connection could not be established. The chat still works.',
    peer_failed: 'No video connection with {name}.',
    hand_alert: '{name} raised a hand.',
  };
  const T = Object.assign({}, STRINGS, cfg.strings || {});
  const t = (key, vars) => String(T[key] ?? key).replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));

  // ---- DOM helpers ----
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  };
  const show = (node, on) => { if (node) node.hidden = !on; };
  const pad = (n) => String(n).padStart(2, '0');
  // Times in the school's time zone (as on the rest of the page), not the device's.
  let clock = null;
  try { clock = new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: cfg.time_zone || undefined }); } catch (e) { clock = null; }
  const hhmm = (iso) => {
    const d = iso ? new Date(iso) : new Date();
    if (isNaN(d)) return '';
    return clock ? clock.format(d) : pad(d.getHours()) + ':' + pad(d.getMinutes());
  };
  const uuid = () => (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
      const r = (window.crypto && crypto.getRandomValues) ? crypto.getRandomValues(new Uint8Array(1))[0] % 16 : Math.floor(Math.random() * 16);
      return (c === 'x' ? r : (r & 3) | 8).toString(16);
    });
  const sizeText = (n) => n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : n >= 1024 ? Math.round(n / 1024) + ' KB' : n + ' B';

  const ui = {
    lobby: $('lobby'), room: $('room'), ended: $('room-ended'), endedText: $('ended-text'),
    join: $('join'), lobbyError: $('lobby-error'), preview: $('preview'), previewEmpty: $('preview-empty'),
    meter: $('mic-meter'), camStatus: $('camera-status'), micStatus: $('mic-status'), retry: $('devices-retry'),
    status: $('room-status'), mutedNote: $('muted-note'), videos: $('videos'),
    btnMic: $('btn-mic'), btnCam: $('btn-cam'), btnScreen: $('btn-screen'), btnHand: $('btn-hand'), btnLeave: $('btn-leave'),
    people: $('people'), peopleCount: $('people-count'),
    log: $('chat-log'), typing: $('typing'), form: $('chat-form'), input: $('chat-input'), file: $('chat-file'),
    send: $('chat-send'), counter: $('chat-counter'), chatError: $('chat-error'),
  };

  // ---- State ----
  const S = {
    state: 'lobby',          // lobby | connecting | joined | closed
    ws: null, myPeer: null, userClosed: false, backoff: 500, retryTimer: null,
    lastId: 0,
    me: Object.assign({ muted: false, may_speak: !!cfg.may_publish, hand: false }, cfg.me || {}),
    people: new Map(),       // user_id -> {p, peers:Set, li}
    byPeer: new Map(),       // peer -> participant
    rendered: new Map(),     // message id -> li
    outbox: new Map(),       // client_id -> {client_id, html, text}
    typers: new Map(),       // user_id -> {name, until}
    local: null,             // MediaStream from the camera/microphone
    screen: null,            // MediaStreamTrack of a screen share
    micOn: true, camOn: true,
    publishing: false,
    peers: new Map(),        // p2p: peer -> {pc, name, stream, tile, pending:[], makingOffer, ignoreOffer, polite}
    janus: null, pub: null, feeds: new Map(), // janus: feed id -> {handle, stream, tile}
    janusPrivateId: null,
  };
  const isWebinar = cfg.kind === 'webinar';
  const mayPublishNow = () => !!cfg.media && cfg.role !== 'observer' &&
    (cfg.role === 'organiser' || (isWebinar ? !!S.me.may_speak : !!cfg.may_publish));

  const setStatus = (text) => { if (ui.status) ui.status.textContent = text || ''; };

  // =====================================================================
  // Local media (lobby preview, level meter, device status)
  // =====================================================================
  let audioCtx = null, meterRaf = 0;

  async function getLocalMedia() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      deviceStatus(null, null, t('devices_unsupported'));
      return null;
    }
    const video = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } };
    const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    const attempts = [{ audio, video }, { audio, video: false }, { audio: false, video }];
    let lastErr = null;
    for (const constraints of attempts) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        deviceStatus(stream, lastErr, null);
        return stream;
      } catch (err) {
        lastErr = err;
        if (err && (err.name === 'NotAllowedError' || err.name === 'SecurityError')) break;
      }
    }
    deviceStatus(null, lastErr, null);
    return null;
  }

  function deviceStatus(stream, err, text) {
    const hasV = !!(stream && stream.getVideoTracks().length);
    const hasA = !!(stream && stream.getAudioTracks().length);
    if (ui.camStatus) { ui.camStatus.textContent = hasV ? t('camera_ok') : t('camera_none'); ui.camStatus.className = hasV ? 'ok' : 'warn'; }
    if (ui.micStatus) { ui.micStatus.textContent = hasA ? t('mic_ok') : t('mic_none'); ui.micStatus.className = hasA ? 'ok' : 'warn'; }
    let msg = text || '';
    if (!msg && err && !(hasV && hasA)) {
      const name = err.name || '';
      msg = (name === 'NotAllowedError' || name === 'SecurityError') ? t('devices_denied')
        : (name === 'NotReadableError' || name === 'AbortError') ? t('devices_busy')
          : (name === 'NotFoundError' || name === 'OverconstrainedError') ? '' : t('devices_failed');
    }
    if (ui.lobbyError) ui.lobbyError.textContent = msg;
    show(ui.retry, !(hasV && hasA));
    show(ui.previewEmpty, !hasV);
  }

  function startMeter(stream) {
    stopMeter();
    if (!ui.meter || !stream || !stream.getAudioTracks().length) return;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      audioCtx = new Ctx();
      const src = audioCtx.createMediaStreamSource(stream);
      const an = audioCtx.createAnalyser();
      an.fftSize = 512;
      src.connect(an);
      const buf = new Uint8Array(an.fftSize);
      const tick = () => {
        an.getByteTimeDomainData(buf);
        let sum = 0;
        for (let i = 0; i < buf.length; i++) { const v = (buf[i] - 128) / 128; sum += v * v; }
        ui.meter.value = Math.min(1, Math.sqrt(sum / buf.length) * 4);
        meterRaf = requestAnimationFrame(tick);
      };
      tick();
      if (audioCtx.state === 'suspended') {
        const resume = () => { if (audioCtx) audioCtx.resume().catch(() => {}); };
        document.addEventListener('pointerdown', resume, { once: true });
        document.addEventListener('keydown', resume, { once: true });
      }
    } catch (e) { audioCtx = null; }
  }

  function stopMeter() {
    cancelAnimationFrame(meterRaf);
    if (audioCtx) { audioCtx.close().catch(() => {}); audioCtx = null; }
  }

  function stopLocal() {
    stopMeter();
    if (S.local) S.local.getTracks().forEach((tr) => tr.stop());
    if (S.screen) S.screen.stop();
    S.local = null; S.screen = null; S.publishing = false;
  }

  async function prepareDevices() {
    if (S.local) S.local.getTracks().forEach((tr) => tr.stop());
    S.local = await getLocalMedia();
    if (ui.preview) ui.preview.srcObject = S.local;
    startMeter(S.local);
    return S.local;
  }

  let devicesReady = Promise.resolve(null);
  if (cfg.media && mayPublishNow() && ui.preview) devicesReady = prepareDevices();
  if (ui.retry) ui.retry.addEventListener('click', () => { devicesReady = prepareDevices(); });

  const localTrack = (kind) => (S.local ? (kind === 'audio' ? S.local.getAudioTracks() : S.local.getVideoTracks())[0] || null : null);
  const sendTrack = (kind) => (kind === 'video' && S.screen) ? S.screen : localTrack(kind);

  // =====================================================================
  // Join and the WebSocket
  // =====================================================================
  async function join() {
    ui.join.disabled = true;
    if (cfg.media && mayPublishNow()) await devicesReady;
    stopMeter();
    const present = $('present');
    if (present) present.remove();  // stops htmx polling
    show(ui.lobby, false); show(ui.room, true);
    if (ui.preview) ui.preview.srcObject = null;
    S.publishing = !!S.local && mayPublishNow();
    applyMe();
    if (S.publishing) localTile();
    connect();
  }

  function connect() {
    clearTimeout(S.retryTimer);
    S.state = 'connecting';
    setStatus(S.myPeer ? t('reconnecting') : t('connecting'));
    const url = (location.protocol === 'https:' ? 'wss' : 'ws') + '://' + location.host + cfg.ws + '?after=' + S.lastId;
    let ws;
    try { ws = new WebSocket(url); } catch (e) { scheduleReconnect(); return; }
    S.ws = ws;
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      try { handle(msg); } catch (e) { console.warn('room: cannot handle', msg && msg.type, e); }
    };
    ws.onclose = (ev) => {
      if (S.ws !== ws) return;
      S.ws = null;
      if (S.state === 'closed') return;
      if (ev.code === 4403) return finish(t(S.myPeer ? 'room_closed' : 'closed_not_open'));
      if (ev.code === 4404) return finish(t('not_allowed'));
      if (S.userClosed) return;
      S.state = 'connecting';
      setStatus(t('reconnecting'));
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    clearTimeout(S.retryTimer);
    // Backoff with jitter, so a room full of people does not come back at once
    // (code 1013: the server's channel layer is away for a moment).
    S.retryTimer = setTimeout(connect, S.backoff * (0.75 + Math.random() / 2));
    S.backoff = Math.min(S.backoff * 2, 5000);
  }

  function wsSend(obj) {
    if (S.ws && S.ws.readyState === WebSocket.OPEN) { S.ws.send(JSON.stringify(obj)); return true; }
    return false;
  }

  // Leaving, or the room is closed: stop everything, show the end panel.
  function finish(text) {
    S.state = 'closed';
    clearTimeout(S.retryTimer);
    if (S.ws) { const ws = S.ws; S.ws = null; try { ws.close(1000); } catch (e) { /* closed already */ } }
    closeAllMedia();
    stopLocal();
    show(ui.lobby, false); show(ui.room, false); show(ui.ended, true);
    if (ui.endedText) ui.endedText.textContent = text;
    const present = $('present');
    if (present) present.remove();
  }

  // =====================================================================
  // Server messages
  // =====================================================================
  function handle(msg) {
    switch (msg.type) {
      case 'hello': return onHello(msg);
      case 'message': return renderMessage(msg.message);
      case 'deleted': return markDeleted(msg.id);
      case 'joined': return (msg.participants || [msg.participant]).forEach(addParticipant);
      case 'left': return (msg.peers || [msg.peer]).forEach(removePeer);
      case 'member': return onMember(msg);
      case 'typing': return onTyping(msg);
      case 'signal': return onSignal(msg.from, msg.data || {});
      case 'error': return showError(msg.message || msg.code);
      case 'closed': return finish(t('closed_by_organiser'));
      default: return undefined;
    }
  }

  function onHello(msg) {
    const reconnect = S.myPeer != null;
    S.myPeer = msg.peer;
    S.backoff = 500;
    S.state = 'joined';
    setStatus(t('connected'));
    // People: start afresh (peer ids of a reconnect are new).
    S.people.forEach((entry) => entry.li.remove());
    S.people.clear(); S.byPeer.clear();
    (msg.participants || []).forEach(addParticipant);
    const mayBefore = mayPublishNow();
    if (msg.me) { addParticipant(msg.me); Object.assign(S.me, pickState(msg.me)); }
    (msg.messages || []).forEach(renderMessage);
    applyMe();
    // Resend whatever the server has not confirmed yet (stored once per client_id).
    S.outbox.forEach((m) => wsSend({ type: 'chat', client_id: m.client_id, html: m.html }));
    // Media (a permission to speak may have changed while we were away)
    const changed = reconnect && mayPublishNow() !== mayBefore;
    if (changed && mayBefore) stopPublishing(true);
    if (cfg.media) {
      if (cfg.transport === 'janus') { if (!reconnect || !S.janus) startJanus(); }
      else { closeAllMedia(); ensurePeers(); }
    }
    if (changed && !mayBefore) startPublishing(true);
  }

  const pickState = (p) => ({ muted: !!p.muted, may_speak: !!p.may_speak, hand: !!p.hand });

  function showError(text) {
    if (!text) return;
    if (ui.chatError) ui.chatError.textContent = String(text);
    clearTimeout(showError.timer);
    showError.timer = setTimeout(() => { if (ui.chatError) ui.chatError.textContent = ''; }, 8000);
  }

  // =====================================================================
  // Participants
  // =====================================================================
  function addParticipant(p) {
    if (!p || p.peer == null) return;
    S.byPeer.set(p.peer, p);
    let entry = S.people.get(p.user_id);
    if (!entry) {
      entry = { p, peers: new Set(), li: buildPersonLi(p.user_id) };
      S.people.set(p.user_id, entry);
      ui.people.appendChild(entry.li);
    }
    entry.p = Object.assign({}, entry.p, p);
    entry.peers.add(p.peer);
    renderPerson(entry);
    updateCount();
    const peer = S.peers.get(p.peer);
    if (peer) { peer.name = p.name; if (peer.tile) peer.tile.querySelector('figcaption .name').textContent = p.name; }
  }

  function removePeer(peerId) {
    const p = S.byPeer.get(peerId);
    S.byPeer.delete(peerId);
    closePeer(peerId);
    if (!p) return;
    const entry = S.people.get(p.user_id);
    if (!entry) return;
    entry.peers.delete(peerId);
    if (!entry.peers.size) { entry.li.remove(); S.people.delete(p.user_id); S.typers.delete(p.user_id); }
    updateCount();
  }

  function updateCount() {
    if (ui.peopleCount) ui.peopleCount.textContent = String(S.people.size);
  }

  function buildPersonLi(userId) {
    const li = el('li', 'person');
    li.dataset.userId = userId;
    const line = el('div', 'person-line');
    line.append(el('span', 'hand-icon'), el('span', 'person-name'), el('span', 'person-meta muted'));
    li.append(line);
    if (cfg.can_moderate && userId !== S.me.id) {
      const acts = el('div', 'person-actions');
      const mute = el('button', 'btn small secondary act-mute');
      mute.type = 'button';
      mute.addEventListener('click', () => {
        const e = S.people.get(userId);
        if (e) wsSend({ type: 'mute', user_id: userId, muted: !e.p.muted });
      });
      acts.append(mute);
      if (isWebinar && cfg.media) {
        const speak = el('button', 'btn small secondary act-speak');
        speak.type = 'button';
        speak.addEventListener('click', () => {
          const e = S.people.get(userId);
          if (e) wsSend({ type: 'speak', user_id: userId, allowed: !e.p.may_speak });
        });
        acts.append(speak);
      }
      li.append(acts);
    }
    return li;
  }

  function renderPerson(entry) {
    const { p, li } = entry;
    const mine = p.user_id === S.me.id;
    li.classList.toggle('hand-up', !!p.hand);
    li.querySelector('.hand-icon').textContent = p.hand ? '☝' : '';
    li.querySelector('.hand-icon').title = p.hand ? t('hand_raised') : '';
    li.querySelector('.person-name').textContent = p.name + (mine ? ' ' + t('you') : '');
    const meta = [t('role_' + p.role)];
    if (p.hand) meta.push(t('hand_raised'));
    if (p.muted) meta.push(t('is_muted'));
    if (isWebinar && p.may_speak && p.role !== 'organiser') meta.push(t('may_speak'));
    li.querySelector('.person-meta').textContent = meta.join(' · ');
    const mute = li.querySelector('.act-mute');
    if (mute) { mute.textContent = p.muted ? t('unmute') : t('mute'); mute.setAttribute('aria-pressed', String(!!p.muted)); mute.hidden = p.role === 'organiser'; }
    const speak = li.querySelector('.act-speak');
    if (speak) { speak.textContent = p.may_speak ? t('forbid_speak') : t('allow_speak'); speak.hidden = p.role !== 'participant'; }
    // Tiles show the hand too; people who cannot send (viewers, observers) get no tile.
    entry.peers.forEach((peerId) => {
      const peer = S.peers.get(peerId);
      if (peer && peer.tile) { peer.tile.classList.toggle('hand-up', !!p.hand); peer.tile.hidden = !sends(p); }
    });
    layoutTiles();
  }

  const sends = (p) => p.role !== 'observer' && (!isWebinar || p.role === 'organiser' || !!p.may_speak);

  function onMember(m) {
    const entry = S.people.get(m.user_id);
    const handBefore = !!(entry && entry.p.hand);
    if (entry) {
      Object.assign(entry.p, pickState(m));
      entry.peers.forEach((peerId) => { const p = S.byPeer.get(peerId); if (p) Object.assign(p, pickState(m)); });
      renderPerson(entry);
      if (cfg.can_moderate && m.hand && !handBefore && m.user_id !== S.me.id) setStatus(t('hand_alert', { name: entry.p.name }));
    }
    if (m.user_id === S.me.id) {
      const wasMuted = S.me.muted, mayBefore = mayPublishNow();
      Object.assign(S.me, pickState(m));
      applyMe();
      if (wasMuted && !S.me.muted) setStatus(t('connected'));
      const mayNow = mayPublishNow();
      if (mayNow && !mayBefore) startPublishing(true);
      else if (!mayNow && mayBefore) stopPublishing(true);
    }
  }

  // My own state: muted (chat and microphone off), raised hand, control buttons.
  function applyMe() {
    const muted = !!S.me.muted;
    if (ui.input) {
      ui.input.contentEditable = muted ? 'false' : 'true';
      ui.input.setAttribute('aria-disabled', String(muted));
      ui.input.classList.toggle('disabled', muted);
    }
    [ui.send, ui.file].forEach((b) => { if (b) b.disabled = muted; });
    ui.form && ui.form.querySelectorAll('.tool').forEach((b) => { b.disabled = muted; });
    if (ui.mutedNote) { ui.mutedNote.textContent = muted ? t('you_are_muted') : ''; show(ui.mutedNote, muted); }
    if (ui.btnHand) {
      ui.btnHand.textContent = S.me.hand ? t('hand_lower') : t('hand_raise');
      ui.btnHand.setAttribute('aria-pressed', String(!!S.me.hand));
    }
    applyTrackState();
  }

  function applyTrackState() {
    const a = localTrack('audio'), v = localTrack('video');
    if (a) a.enabled = S.micOn && !S.me.muted;
    if (v) v.enabled = S.camOn;
    const pub = S.publishing;
    if (ui.btnMic) {
      show(ui.btnMic, pub && !!a);
      ui.btnMic.disabled = !!S.me.muted;
      ui.btnMic.textContent = (S.micOn && !S.me.muted) ? t('mic_on') : t('mic_off');
      ui.btnMic.setAttribute('aria-pressed', String(S.micOn && !S.me.muted));
    }
    if (ui.btnCam) {
      show(ui.btnCam, pub && !!v);
      ui.btnCam.textContent = S.camOn ? t('cam_on') : t('cam_off');
      ui.btnCam.setAttribute('aria-pressed', String(S.camOn));
    }
    if (ui.btnScreen) {
      show(ui.btnScreen, pub && !!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia));
      ui.btnScreen.textContent = S.screen ? t('screen_stop') : t('screen_start');
      ui.btnScreen.setAttribute('aria-pressed', String(!!S.screen));
    }
    const mine = $('tile-me');
    if (mine) mine.classList.toggle('no-video', !(S.screen || (v && S.camOn)));
  }

  // =====================================================================
  // Chat
  // =====================================================================
  function renderMessage(m) {
    if (!m || m.id == null) return;
    if (m.id > S.lastId) S.lastId = m.id;
    if (m.client_id && S.outbox.has(m.client_id) && (!m.author || m.author.id === S.me.id)) S.outbox.delete(m.client_id);
    if (m.client_id) {
      const pending = ui.log.querySelector('li.pending[data-client-id="' + CSS.escape(m.client_id) + '"]');
      if (pending) pending.remove();
    }
    let li = S.rendered.get(m.id);
    const fresh = !li;
    if (fresh) {
      li = el('li', 'msg');
      li.id = 'msg-' + m.id;
      li.dataset.id = m.id;
      S.rendered.set(m.id, li);
      insertSorted(li, m.id);
    }
    li.dataset.clientId = m.client_id || '';
    li.classList.toggle('mine', !!(m.author && m.author.id === S.me.id));
    li.replaceChildren();
    const head = el('div', 'msg-head');
    const time = el('time', 'msg-time', hhmm(m.created_at));
    if (m.created_at) time.dateTime = m.created_at;
    head.append(el('span', 'msg-author', m.author ? m.author.name : ''), time);
    li.append(head);
    if (m.deleted) {
      li.classList.add('deleted');
      li.append(el('div', 'msg-body muted', t('message_deleted')));
    } else {
      const body = el('div', 'msg-body');
      body.append(safeNodes(m.html || ''));  // sanitised by the server, rebuilt here
      li.append(body);
      if (m.attachment) {
        const att = el('div', 'msg-file');
        const a = el('a', null, m.attachment.name);
        a.href = m.attachment.url;
        att.append(a, el('span', 'muted', ' (' + sizeText(m.attachment.size || 0) + ')'));
        li.append(att);
      }
      if (cfg.can_moderate) {
        const del = el('button', 'btn small link msg-delete', t('delete'));
        del.type = 'button';
        del.addEventListener('click', () => wsSend({ type: 'delete', id: m.id }));
        head.append(del);
      }
    }
    if (fresh) scrollChat();
  }

  function insertSorted(li, id) {
    // Messages normally arrive in order; keep the log sorted anyway (history after a reconnect).
    const all = ui.log.querySelectorAll('li.msg[data-id]');
    let before = null;
    if (all.length && Number(all[all.length - 1].dataset.id) > id) {
      before = [...all].find((other) => Number(other.dataset.id) > id) || null;
    }
    if (!before) before = ui.log.querySelector('li.pending');
    ui.log.insertBefore(li, before);
  }

  function markDeleted(id) {
    const li = S.rendered.get(id);
    if (!li) return;
    li.classList.add('deleted');
    li.querySelectorAll('.msg-body, .msg-file, .msg-delete').forEach((n) => n.remove());
    li.append(el('div', 'msg-body muted', t('message_deleted')));
  }

  function scrollChat() {
    const log = ui.log;
    if (log.scrollHeight - log.scrollTop - log.clientHeight < 160) log.scrollTop = log.scrollHeight;
  }

  function pendingLi(clientId, text) {
    const li = el('li', 'msg mine pending');
    li.dataset.clientId = clientId;
    const head = el('div', 'msg-head');
    head.append(el('span', 'msg-author', S.me.name || ''), el('span', 'msg-time muted', t('sending')));
    li.append(head, el('div', 'msg-body', text));
    ui.log.appendChild(li);
    ui.log.scrollTop = ui.log.scrollHeight;
    return li;
  }

  // A message's HTML (already sanitised by the server) rebuilt as DOM nodes from an
  // allow-list, never through innerHTML: text stays text, only simple formatting
  // and http(s)/mailto links survive. DOMParser's document is inert (nothing in
  // it loads or runs).
  const SAFE_TAGS = new Set(['P', 'BR', 'DIV', 'B', 'STRONG', 'I', 'EM', 'U', 'S', 'UL', 'OL',
    'LI', 'BLOCKQUOTE', 'CODE', 'PRE', 'A']);
  function parsedBody(html) {
    return new DOMParser().parseFromString('<!doctype html><body>' + html, 'text/html').body;
  }
  function safeNodes(html) {
    const out = document.createDocumentFragment();
    (function copy(from, to) {
      from.childNodes.forEach((node) => {
        if (node.nodeType === Node.TEXT_NODE) { to.append(node.nodeValue); return; }
        if (node.nodeType !== Node.ELEMENT_NODE) return;
        if (!SAFE_TAGS.has(node.tagName)) { copy(node, to); return; }
        const made = document.createElement(node.tagName.toLowerCase());
        if (node.tagName === 'A') {
          const href = node.getAttribute('href') || '';
          if (/^(https?:|mailto:)/i.test(href)) made.href = href;
          if (node.title) made.title = node.title;
          made.target = '_blank';
          made.rel = 'noopener noreferrer nofollow';
        }
        copy(node, made);
        to.append(made);
      });
    })(parsedBody(html), out);
    return out;
  }

  // Send a chat message; returns its client_id. Kept in the outbox until echoed.
  function sendChat(html) {
    const clientId = uuid();
    const text = parsedBody(html).textContent || '';
    S.outbox.set(clientId, { client_id: clientId, html, text });
    pendingLi(clientId, text);
    wsSend({ type: 'chat', client_id: clientId, html });
    return clientId;
  }

  const editorText = () => (ui.input.innerText || '').replace(/\u00a0/g, ' ').trim();

  function submitChat() {
    if (S.me.muted) return;
    const text = editorText();
    if (!text) return;
    const max = cfg.max_chars || 2000;
    if (text.length > max) { showError(t('too_long', { count: text.length, max })); return; }
    sendChat(ui.input.innerHTML.trim());
    ui.input.replaceChildren();
    updateCounter();
    ui.input.focus();
  }

  function updateCounter() {
    const max = cfg.max_chars || 2000;
    const n = editorText().length;
    ui.counter.textContent = n > max * 0.8 ? n + ' / ' + max : '';
    ui.counter.classList.toggle('over', n > max);
  }

  let lastTypingSent = 0;
  function onInput() {
    updateCounter();
    const now = Date.now();
    if (now - lastTypingSent > 3000 && editorText()) { lastTypingSent = now; wsSend({ type: 'typing' }); }
  }

  function onTyping(m) {
    if (m.user_id === S.me.id) return;
    S.typers.set(m.user_id, { name: m.name, until: Date.now() + 5000 });
    renderTyping();
  }

  function renderTyping() {
    const now = Date.now();
    S.typers.forEach((v, k) => { if (v.until < now) S.typers.delete(k); });
    const names = [...S.typers.values()].map((v) => v.name);
    ui.typing.textContent = !names.length ? '' : names.length === 1 ? t('typing_one', { name: names[0] }) : t('typing_many');
  }
  setInterval(renderTyping, 1000);

  // Rich-text editor: Bold/Italic/Link/List with execCommand; paste as plain text.
  function setupEditor() {
    ui.form.addEventListener('submit', (e) => { e.preventDefault(); submitChat(); });
    ui.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.ctrlKey && !e.altKey) { e.preventDefault(); submitChat(); }
    });
    ui.input.addEventListener('input', onInput);
    ui.input.addEventListener('paste', (e) => {
      const text = e.clipboardData && e.clipboardData.getData('text/plain');
      if (text == null) return;
      e.preventDefault();
      document.execCommand('insertText', false, text);
    });
    ui.input.addEventListener('drop', (e) => {
      if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) { e.preventDefault(); uploadFile(e.dataTransfer.files[0]); }
    });
    ui.form.querySelectorAll('.tool').forEach((btn) => {
      btn.addEventListener('mousedown', (e) => e.preventDefault());  // keep the selection in the editor
      btn.addEventListener('click', () => {
        if (S.me.muted) return;
        ui.input.focus();
        const cmd = btn.dataset.cmd;
        if (cmd === 'createLink') {
          let url = (window.prompt(t('link_prompt'), 'https://') || '').trim();
          if (!url || url === 'https://') return;
          if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) url = 'https://' + url;
          if (!/^(https?|mailto):/i.test(url)) { showError(t('link_invalid')); return; }
          const sel = window.getSelection();
          if (sel && sel.isCollapsed) document.execCommand('insertText', false, url);
          if (sel && sel.rangeCount) {
            if (sel.isCollapsed) { const r = sel.getRangeAt(0); r.setStart(r.endContainer, Math.max(0, r.endOffset - url.length)); sel.removeAllRanges(); sel.addRange(r); }
          }
          document.execCommand('createLink', false, url);
          if (sel) sel.collapseToEnd();
        } else {
          document.execCommand(cmd, false, null);
        }
        onInput();
      });
    });
    ui.file.addEventListener('change', () => { if (ui.file.files.length) uploadFile(ui.file.files[0]); ui.file.value = ''; });
  }

  // Attachments: POST to attach_url; the message comes back over the WebSocket.
  async function uploadFile(file) {
    if (S.me.muted || !file) return;
    const maxMb = cfg.max_upload_mb || 20;
    if (file.size > maxMb * 1048576) { showError(t('file_too_big', { mb: maxMb })); return; }
    const clientId = uuid();
    const fd = new FormData();
    fd.append('file', file);
    fd.append('client_id', clientId);
    const caption = editorText() ? ui.input.innerHTML.trim() : '';
    if (caption) fd.append('html', caption);
    const li = pendingLi(clientId, file.name + (caption ? ' — ' + editorText() : ''));
    try {
      const resp = await fetch(cfg.attach_url, {
        method: 'POST', body: fd, credentials: 'same-origin',
        headers: { 'X-CSRFToken': cfg.csrf, 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (!resp.ok) {
        let text = '';
        try { const data = await resp.clone().json(); text = data.error || data.message || (data.errors && [].concat(data.errors).join(' ')) || ''; } catch (e) { /* not JSON */ }
        throw new Error(text || t('file_failed'));
      }
      if (caption) { ui.input.replaceChildren(); updateCounter(); }
      let data = null;
      try { data = await resp.json(); } catch (e) { /* the echo comes over the socket */ }
      if (data && data.message && data.message.id != null) renderMessage(data.message);
      else if (data && data.id != null && data.author) renderMessage(data);
    } catch (err) {
      li.remove();
      showError(err && err.message ? err.message : t('file_failed'));
    }
  }

  // =====================================================================
  // Video tiles
  // =====================================================================
  function makeTile(key, name, isLocal) {
    let tile = document.getElementById('tile-' + key);
    if (tile) return tile;
    tile = el('figure', 'tile no-video' + (isLocal ? ' local' : ''));
    tile.id = 'tile-' + key;
    const video = el('video');
    video.autoplay = true; video.playsInline = true;
    video.setAttribute('playsinline', '');
    if (isLocal) { video.muted = true; video.classList.add('mirror'); }
    const ph = el('div', 'tile-placeholder');
    ph.setAttribute('aria-hidden', 'true');
    ph.textContent = initials(name);
    const cap = el('figcaption');
    cap.append(el('span', 'hand-icon', '☝'), el('span', 'name', name));
    tile.append(video, ph, cap);
    if (isLocal) ui.videos.prepend(tile); else ui.videos.append(tile);
    layoutTiles();
    return tile;
  }

  const initials = (name) => String(name || '?').split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]).join('').toUpperCase();

  function removeTile(tile) {
    if (!tile) return;
    const v = tile.querySelector('video');
    if (v) v.srcObject = null;
    tile.remove();
    layoutTiles();
  }

  function layoutTiles() {
    if (ui.videos) ui.videos.dataset.count = String(Math.min(ui.videos.querySelectorAll('.tile:not([hidden])').length, 9));
  }

  function localTile() {
    if (!ui.videos || !S.local) return;
    const tile = makeTile('me', (S.me.name || '') + ' ' + t('you'), true);
    const v = tile.querySelector('video');
    const stream = new MediaStream();
    const vt = sendTrack('video');
    if (vt) stream.addTrack(vt);
    v.srcObject = stream;
    v.classList.toggle('mirror', !S.screen);
    applyTrackState();
  }

  // Put a remote track into the tile's stream (one audio and one video track per tile).
  function attachRemote(tile, stream, track) {
    stream.getTracks().filter((x) => x.kind === track.kind && x !== track).forEach((x) => stream.removeTrack(x));
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
    const v = tile.querySelector('video');
    v.srcObject = stream;
    v.play().catch(() => {});
    const refresh = () => tile.classList.toggle('no-video', !stream.getVideoTracks().some((x) => x.readyState === 'live' && !x.muted));
    track.addEventListener('mute', refresh);
    track.addEventListener('unmute', refresh);
    track.addEventListener('ended', () => { stream.removeTrack(track); refresh(); });
    refresh();
  }

  // =====================================================================
  // P2P mesh ("perfect negotiation"; the newcomer creates the connections)
  // =====================================================================
  function shouldConnect(p) {
    if (!p || !p.media || p.peer === S.myPeer) return false;
    // In webinars two viewers have nothing to exchange.
    if (isWebinar && !S.publishing && !(p.may_speak || p.role === 'organiser')) return false;
    return true;
  }

  function ensurePeers() {
    S.byPeer.forEach((p) => { if (!S.peers.has(p.peer) && shouldConnect(p)) createPeer(p.peer, true); });
  }

  function createPeer(peerId, initiator) {
    const p = S.byPeer.get(peerId) || { name: '' };
    const pc = new RTCPeerConnection({ iceServers: cfg.ice_servers || [] });
    const peer = {
      id: peerId, pc, name: p.name, stream: new MediaStream(), tile: null, pending: [],
      makingOffer: false, ignoreOffer: false, polite: String(S.myPeer) < String(peerId),
    };
    S.peers.set(peerId, peer);
    peer.tile = makeTile('peer-' + peerId, p.name, false);
    peer.tile.classList.toggle('hand-up', !!p.hand);
    peer.tile.hidden = p.role ? !sends(p) : false;
    layoutTiles();
    if (initiator) {
      ['audio', 'video'].forEach((kind) => {
        const track = S.publishing ? sendTrack(kind) : null;
        pc.addTransceiver(track || kind, { direction: track ? 'sendrecv' : 'recvonly', streams: S.local ? [S.local] : [] });
      });
    }
    pc.onnegotiationneeded = async () => {
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        wsSend({ type: 'signal', to: peerId, data: { description: pc.localDescription } });
      } catch (e) { console.warn('room: offer failed', e); } finally { peer.makingOffer = false; }
    };
    pc.onicecandidate = ({ candidate }) => { if (candidate) wsSend({ type: 'signal', to: peerId, data: { candidate } }); };
    pc.ontrack = (ev) => attachRemote(peer.tile, peer.stream, ev.track);
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') {
        setStatus(t('peer_failed', { name: peer.name }));
        if (pc.restartIce) pc.restartIce();
      }
    };
    return peer;
  }

  async function onSignal(from, data) {
    if (!cfg.media || cfg.transport === 'janus') return;
    let peer = S.peers.get(from);
    if (!peer) {
      if (!data.description || data.description.type !== 'offer') return;
      peer = createPeer(from, false);
    }
    const pc = peer.pc;
    try {
      if (data.description) {
        const desc = data.description;
        const collision = desc.type === 'offer' && (peer.makingOffer || pc.signalingState !== 'stable');
        peer.ignoreOffer = !peer.polite && collision;
        if (peer.ignoreOffer) return;
        await pc.setRemoteDescription(desc);
        if (desc.type === 'offer') {
          attachLocalTracks(pc);
          await pc.setLocalDescription();
          wsSend({ type: 'signal', to: from, data: { description: pc.localDescription } });
        }
        const queued = peer.pending.splice(0);
        for (const c of queued) await pc.addIceCandidate(c).catch(() => {});
      } else if (data.candidate) {
        if (!pc.remoteDescription) { peer.pending.push(data.candidate); return; }
        try { await pc.addIceCandidate(data.candidate); } catch (e) { if (!peer.ignoreOffer) console.warn('room: bad candidate', e); }
      }
    } catch (e) { console.warn('room: signalling failed', e); }
  }

  // Answerer / newly allowed speaker: put my tracks on the existing transceivers.
  function attachLocalTracks(pc) {
    ['audio', 'video'].forEach((kind) => {
      const tr = findTransceiver(pc, kind);
      if (!tr) return;
      const track = S.publishing ? sendTrack(kind) : null;
      if (track && tr.sender.track !== track) tr.sender.replaceTrack(track).catch(() => {});
      if (track && (tr.direction === 'recvonly' || tr.direction === 'inactive')) tr.direction = 'sendrecv';
      if (!track && !S.publishing && tr.direction === 'sendrecv') { tr.sender.replaceTrack(null).catch(() => {}); tr.direction = 'recvonly'; }
    });
  }

  const findTransceiver = (pc, kind) => pc.getTransceivers().find((tr) => !tr.stopped && tr.receiver && tr.receiver.track && tr.receiver.track.kind === kind);

  function closePeer(peerId) {
    const peer = S.peers.get(peerId);
    if (!peer) return;
    S.peers.delete(peerId);
    try { peer.pc.close(); } catch (e) { /* already closed */ }
    removeTile(peer.tile);
  }

  function closeAllMedia() {
    [...S.peers.keys()].forEach(closePeer);
    if (S.janus) {
      const j = S.janus;
      S.janus = null; S.pub = null;
      S.feeds.forEach((f) => removeTile(f.tile));
      S.feeds.clear();
      try { j.destroy({ cleanupHandles: true }); } catch (e) { /* gone */ }
    }
  }

  // =====================================================================
  // Janus VideoRoom (janus.js 1.1.x)
  // =====================================================================
  function janusFail(err) {
    console.warn('room: janus', err);
    setStatus(t('media_unavailable'));
  }

  function startJanus() {
    const J = window.Janus;
    if (!J || !cfg.janus) { janusFail('janus.js is not loaded'); return; }
    J.init({
      debug: false,
      dependencies: J.useDefaultDependencies(),
      callback: () => {
        if (!J.isWebrtcSupported()) { janusFail('no WebRTC'); return; }
        const session = new J({
          server: cfg.janus.url,
          iceServers: cfg.ice_servers || [],
          success: () => { S.janus = session; attachPublisher(); },
          error: (e) => { if (S.state !== 'closed') janusFail(e); },
          destroyed: () => {},
        });
      },
    });
  }

  const jroom = () => ({ room: cfg.janus.room, pin: cfg.janus.pin });

  function attachPublisher() {
    S.janus.attach({
      plugin: 'janus.plugin.videoroom',
      opaqueId: 'umka-' + cfg.room + '-' + uuid(),
      success: (handle) => {
        S.pub = handle;
        handle.send({ message: Object.assign({ request: 'join', ptype: 'publisher', display: cfg.janus.display || S.me.name }, jroom()) });
      },
      error: janusFail,
      onmessage: (msg, jsep) => {
        const ev = msg.videoroom;
        if (msg.error) showError(msg.error);
        if (ev === 'joined') {
          S.janusPrivateId = msg.private_id;
          if (S.publishing) publishJanus();
          (msg.publishers || []).forEach(subscribeFeed);
        } else if (ev === 'event') {
          (msg.publishers || []).forEach(subscribeFeed);
          const gone = msg.unpublished != null ? msg.unpublished : msg.leaving;
          if (gone != null && gone !== 'ok') dropFeed(gone);
        }
        if (jsep) S.pub.handleRemoteJsep({ jsep });
      },
      onlocaltrack: () => {},
      onremotetrack: () => {},
      oncleanup: () => {},
    });
  }

  function publishJanus() {
    if (!S.pub) return;
    const tracks = [];
    const a = localTrack('audio'), v = sendTrack('video');
    if (a) tracks.push({ type: 'audio', capture: a, recv: false });
    if (v) tracks.push({ type: 'video', capture: v, recv: false });
    if (!tracks.length) return;
    S.pub.createOffer({
      tracks,
      success: (jsep) => S.pub.send({ message: { request: 'configure', audio: !!a, video: !!v }, jsep }),
      error: janusFail,
    });
  }

  function subscribeFeed(pubInfo) {
    const id = pubInfo.id;
    if (S.feeds.has(id) || !S.janus) return;
    const feed = { id, handle: null, stream: new MediaStream(), tile: makeTile('feed-' + id, pubInfo.display || '', false) };
    S.feeds.set(id, feed);
    S.janus.attach({
      plugin: 'janus.plugin.videoroom',
      opaqueId: 'umka-' + cfg.room + '-' + uuid(),
      success: (handle) => {
        feed.handle = handle;
        const join = Object.assign({ request: 'join', ptype: 'subscriber', streams: [{ feed: id }] }, jroom());
        if (S.janusPrivateId) join.private_id = S.janusPrivateId;
        handle.send({ message: join });
      },
      error: janusFail,
      onmessage: (msg, jsep) => {
        if (msg.error) { console.warn('room: subscriber', msg.error); return; }
        if (jsep) {
          feed.handle.createAnswer({
            jsep,
            tracks: [],  // receive only: everything offered is accepted as recvonly
            success: (answer) => feed.handle.send({ message: { request: 'start', room: cfg.janus.room }, jsep: answer }),
            error: janusFail,
          });
        }
      },
      onremotetrack: (track, mid, on) => {
        if (on) attachRemote(feed.tile, feed.stream, track);
        else { feed.stream.removeTrack(track); feed.tile.classList.toggle('no-video', !feed.stream.getVideoTracks().length); }
      },
      oncleanup: () => {},
    });
  }

  function dropFeed(id) {
    const feed = S.feeds.get(id);
    if (!feed) return;
    S.feeds.delete(id);
    removeTile(feed.tile);
    if (feed.handle) { try { feed.handle.detach(); } catch (e) { /* gone */ } }
  }

  const janusPc = (h) => (h && h.webrtcStuff && h.webrtcStuff.pc) || null;

  // =====================================================================
  // Controls: microphone, camera, screen, hand, leave; publishing changes
  // =====================================================================
  async function startPublishing(announce) {
    if (!S.local || !S.local.getTracks().some((tr) => tr.readyState === 'live')) S.local = await getLocalMedia();
    if (!S.local || S.state === 'closed') return;
    S.publishing = true;
    S.micOn = true; S.camOn = true;
    if (announce) setStatus(t('you_may_speak'));
    localTile();
    applyMe();
    if (cfg.transport === 'janus') publishJanus();
    else { S.peers.forEach((peer) => attachLocalTracks(peer.pc)); ensurePeers(); }
  }

  function stopPublishing(announce) {
    if (S.screen) { S.screen.onended = null; S.screen.stop(); S.screen = null; }
    S.publishing = false;
    if (cfg.transport === 'janus') {
      if (S.pub) S.pub.send({ message: { request: 'unpublish' } });
    } else {
      S.peers.forEach((peer) => attachLocalTracks(peer.pc));
    }
    if (S.local) S.local.getTracks().forEach((tr) => tr.stop());
    S.local = null;
    removeTile($('tile-me'));
    if (announce) setStatus(t('you_may_not_speak'));
    applyMe();
  }

  // Replace the outgoing video on every connection (screen share and back).
  function replaceVideo(track) {
    const pcs = cfg.transport === 'janus' ? [janusPc(S.pub)].filter(Boolean) : [...S.peers.values()].map((p) => p.pc);
    pcs.forEach((pc) => {
      const tr = findTransceiver(pc, 'video');
      const sender = (tr && tr.sender) || pc.getSenders().find((s) => s.track && s.track.kind === 'video');
      if (!sender) return;
      sender.replaceTrack(track).catch((e) => console.warn('room: replaceTrack', e));
      if (tr && track && cfg.transport !== 'janus' && (tr.direction === 'recvonly' || tr.direction === 'inactive')) tr.direction = 'sendrecv';
    });
  }

  async function toggleScreen() {
    if (S.screen) { stopScreen(); return; }
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const track = stream.getVideoTracks()[0];
      if (!track) return;
      if ('contentHint' in track) track.contentHint = 'detail';
      S.screen = track;
      track.onended = stopScreen;
      replaceVideo(track);
      localTile();
    } catch (e) {
      if (e && e.name !== 'NotAllowedError' && e.name !== 'AbortError') showError(t('screen_failed'));
    }
  }

  function stopScreen() {
    if (!S.screen) return;
    S.screen.onended = null;
    S.screen.stop();
    S.screen = null;
    replaceVideo(localTrack('video'));
    localTile();
  }

  function setupControls() {
    ui.join.addEventListener('click', join);
    if (ui.btnMic) ui.btnMic.addEventListener('click', () => { S.micOn = !S.micOn; applyTrackState(); });
    if (ui.btnCam) ui.btnCam.addEventListener('click', () => { S.camOn = !S.camOn; applyTrackState(); });
    if (ui.btnScreen) ui.btnScreen.addEventListener('click', toggleScreen);
    ui.btnHand.addEventListener('click', () => {
      S.me.hand = !S.me.hand;
      wsSend({ type: 'hand', raised: S.me.hand });
      applyMe();
    });
    ui.btnLeave.addEventListener('click', () => { S.userClosed = true; finish(t('left')); });
    window.addEventListener('pagehide', () => { if (S.ws) { S.userClosed = true; S.ws.close(1000); } });
    window.addEventListener('pageshow', (e) => { if (e.persisted && S.state !== 'lobby') location.reload(); });
  }

  // =====================================================================
  // Test hooks for the browser tests (part of the contract)
  // =====================================================================
  function connections() {
    const list = [...S.peers.values()].map((p) => p.pc);
    if (S.pub && janusPc(S.pub)) list.push(janusPc(S.pub));
    S.feeds.forEach((f) => { const pc = janusPc(f.handle); if (pc) list.push(pc); });
    return list.filter((pc) => pc.connectionState !== 'closed');
  }

  window.umkaRoom = {
    connections,
    async framesDecoded() {
      let total = 0;
      for (const pc of connections()) {
        try {
          const stats = await pc.getStats();
          stats.forEach((r) => { if (r.type === 'inbound-rtp' && (r.kind || r.mediaType) === 'video') total += r.framesDecoded || 0; });
        } catch (e) { /* closed meanwhile */ }
      }
      return total;
    },
    messages() {
      return [...S.rendered.entries()]
        .filter(([, li]) => !li.classList.contains('deleted') && li.isConnected)
        .sort((a, b) => a[0] - b[0])
        .map(([id, li]) => ({ id, client_id: li.dataset.clientId || null, text: (li.querySelector('.msg-body') || {}).textContent || '' }));
    },
    state: () => S.state,
    send: (html) => sendChat(String(html)),
  };

  setupControls();
  setupEditor();
  applyMe();
})();
