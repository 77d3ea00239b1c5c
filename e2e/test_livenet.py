"""The live-room harness: namespace, server, Janus and chromium reach each other."""

import json

from e2e.conftest import sign_in

# live_site, live_browser, live_pages
pytest_plugins = ["e2e.livenet"]


def test_janus_answers_inside_the_namespace(live_site):
    info = json.loads(live_site.fetch(live_site.janus_url + "/info"))
    assert info["janus"] == "server_info"
    assert "janus.plugin.videoroom" in info["plugins"]
    assert set(info["plugins"]) == {"janus.plugin.videoroom"}
    assert live_site.janus_admin({"janus": "info"})["janus"] == "server_info"


def test_chromium_in_the_namespace_reaches_umka_and_janus(live_pages, live_site):
    page = live_pages()
    sign_in(page, "student", "umka-demo")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.url.startswith("http://127.0.0.1:8000/")
    janus = page.evaluate(
        "async (url) => (await (await fetch(url + '/info')).json()).janus",
        live_site.janus_url,
    )
    assert janus == "server_info"
    # WebRTC gathers plain (not mDNS) host candidates on the namespace's veth pair
    candidates = page.evaluate(
        """async () => {
            const pc = new RTCPeerConnection();
            pc.createDataChannel("x");
            const found = [];
            const done = new Promise((resolve) => {
                pc.onicecandidate = (e) => e.candidate
                    ? found.push(e.candidate.candidate) : resolve();
            });
            await pc.setLocalDescription(await pc.createOffer());
            await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
            pc.close();
            return found;
        }"""
    )
    text = " ".join(candidates)
    assert any(ip in text for ip in live_site.addresses), candidates
    assert ".local" not in text
    # Camera and microphone are allowed on the live rooms' pages only (the
    # Permissions-Policy): any page of the rooms' URLs will do for the harness.
    page.goto("/rooms/0/")
    media = page.evaluate(
        """async () => {
            const s = await navigator.mediaDevices.getUserMedia(
                {audio: true, video: true});
            const kinds = s.getTracks().map((t) => t.kind).sort();
            s.getTracks().forEach((t) => t.stop());
            return kinds;
        }"""
    )
    assert media == ["audio", "video"]
