"""The channel layer's own cost: group fan-out through Redis without Django, daphne
or WebSockets, for each layer in the same run (`chat_fanout.py` prints it first).

Two layer instances stand for the two app processes; each has half of the
receivers in one group, as the room's consumers are. One sender group_sends
`messages` messages with at most `window` undelivered; every receiver takes
each one. It prints messages and deliveries per second and the latency from
group_send to a receiver.
"""

import asyncio
import contextlib
import statistics
import time

#: CHANNEL_LAYER (settings) → the channels-redis layer.
LAYERS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "lists": "channels_redis.core.RedisChannelLayer",
}


def _layer(kind: str, url: str):
    if kind == "pubsub":
        from channels_redis.pubsub import RedisPubSubChannelLayer

        return RedisPubSubChannelLayer(hosts=[url])
    from channels_redis.core import RedisChannelLayer

    return RedisChannelLayer(hosts=[url], capacity=5000, expiry=60)


async def _run(kind: str, url: str, receivers: int, messages: int, window: int):
    processes = [_layer(kind, url), _layer(kind, url)]
    group = f"bench-layer-{kind}-{time.monotonic_ns()}"
    channels = []
    for i in range(receivers):
        layer = processes[i % 2]
        name = await layer.new_channel()
        await layer.group_add(group, name)
        channels.append((layer, name))
    sent: list[float] = [0.0] * messages
    latencies: list[float] = []
    remaining = [receivers] * messages
    places = asyncio.Semaphore(window)
    done = asyncio.Event()
    left = messages

    async def receive(layer, name):
        nonlocal left
        while True:
            event = await layer.receive(name)
            n = event["n"]
            latencies.append((time.perf_counter() - sent[n]) * 1000)
            remaining[n] -= 1
            if remaining[n] == 0:
                places.release()
                left -= 1
                if not left:
                    done.set()

    tasks = [asyncio.create_task(receive(layer, name)) for layer, name in channels]
    await asyncio.sleep(0.3)  # subscriptions settle
    started = time.perf_counter()
    for n in range(messages):
        await places.acquire()
        sent[n] = time.perf_counter()
        await processes[0].group_send(
            group, {"type": "room.event", "n": n, "payload": {"type": "message"}}
        )
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), 60)
    wall = time.perf_counter() - started
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for layer, name in channels:
        await layer.group_discard(group, name)
    for layer in processes:
        await layer.flush()
    return wall, len(latencies), latencies


def measure(url: str, receivers: int = 100, messages: int = 300, window: int = 10):
    """{kind: (messages/s, deliveries/s, median ms, p99 ms, lost)} per layer."""
    results = {}
    for kind in LAYERS:
        wall, delivered, latencies = asyncio.run(
            _run(kind, url, receivers, messages, window)
        )
        ordered = sorted(latencies) or [0.0]
        results[kind] = (
            messages / wall,
            delivered / wall,
            statistics.median(ordered),
            ordered[min(len(ordered) - 1, int(0.99 * (len(ordered) - 1)))],
            messages * receivers - delivered,
        )
    return results
