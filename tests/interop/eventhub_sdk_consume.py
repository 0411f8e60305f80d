"""Microsoft's Event Hubs SDK for Python (azure-eventhub, pure-Python AMQP) reading an event hub.

Used by tests/integration/test_eventhubsdk.cpp against `iotc-diag sim --tls`: a client we did not
write must read the simulator's partitions and events. Prints one JSON object per line:
{"partitions": [...]}, then {"event": {...}} per event received, then {"received": N}.

usage: eventhub_sdk_consume.py CONNECTION_STRING CA_FILE ENDPOINT TRANSPORT WANT TIMEOUT_S
  ENDPOINT   custom endpoint address for WebSockets (https://localhost:443); "-" for none
  TRANSPORT  amqp | amqp-ws
"""
import json
import sys
import threading

from azure.eventhub import EventHubConsumerClient, TransportType


def text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def main():
    cs, ca_file, endpoint, transport, want, timeout = sys.argv[1:7]
    want, timeout = int(want), float(timeout)
    client = EventHubConsumerClient.from_connection_string(
        cs,
        consumer_group="$Default",
        connection_verify=ca_file,
        custom_endpoint_address=None if endpoint == "-" else endpoint,
        transport_type=TransportType.AmqpOverWebsocket if transport == "amqp-ws" else TransportType.Amqp,
    )
    print(json.dumps({"partitions": client.get_partition_ids()}), flush=True)
    received = []
    lock = threading.Lock()

    def on_event(context, event):
        if event is None:
            return
        with lock:
            received.append(event)
            enough = len(received) == want
        props = event.system_properties
        print(json.dumps({"event": {
            "partition": context.partition_id,
            "sequenceNumber": event.sequence_number,
            "offset": event.offset,
            "enqueuedTime": event.enqueued_time.isoformat() if event.enqueued_time else None,
            "deviceId": text(props.get(b"iothub-connection-device-id")),
            "contentType": text(props.get(b"content-type")),
            "bodyBytes": len(b"".join(event.body)),
        }}), flush=True)
        if enough:
            threading.Thread(target=client.close).start()

    def on_error(context, error):
        print(json.dumps({"error": repr(error)}), flush=True)

    timer = threading.Timer(timeout, client.close)
    timer.start()
    client.receive(on_event=on_event, on_error=on_error, starting_position="-1", max_wait_time=5)
    timer.cancel()
    print(json.dumps({"received": len(received)}), flush=True)


if __name__ == "__main__":
    main()
