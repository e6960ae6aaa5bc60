"""A minimal NATS protocol client for the runner tests (CONNECT, PUB, SUB, request/reply):
enough to talk to a real nats-server on loopback without a client library."""
import socket
import uuid


class NatsClient:
    def __init__(self, port, host="127.0.0.1", timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = b""
        self._line()  # INFO {...}
        self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false,"headers":false}\r\nPING\r\n')
        self._expect_pong()
        self.next_sid = 1

    def _line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("nats-server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _bytes(self, count):
        while len(self.buffer) < count + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("nats-server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count + 2:]
        return data

    def _expect_pong(self):
        while True:
            line = self._line()
            if line == b"PONG":
                return
            if line.startswith(b"-ERR"):
                raise RuntimeError(line.decode())

    def subscribe(self, subject):
        sid = self.next_sid
        self.next_sid += 1
        self.sock.sendall(b"SUB %s %d\r\nPING\r\n" % (subject.encode(), sid))
        self._expect_pong()
        return sid

    def publish(self, subject, body, reply_to=""):
        head = b"PUB %s %s%d\r\n" % (subject.encode(), (reply_to + " ").encode() if reply_to else b"", len(body))
        self.sock.sendall(head + body + b"\r\n")

    def next_message(self):
        """(subject, reply_to, body) of the next MSG; answers PINGs meanwhile."""
        while True:
            line = self._line()
            if line == b"PING":
                self.sock.sendall(b"PONG\r\n")
                continue
            if line.startswith(b"MSG "):
                parts = line.decode().split(" ")
                size = int(parts[-1])
                reply = parts[3] if len(parts) == 5 else ""
                return parts[1], reply, self._bytes(size)

    def request(self, subject, body):
        inbox = "_INBOX." + uuid.uuid4().hex
        self.subscribe(inbox)
        self.publish(subject, body, inbox)
        return self.next_message()[2]

    def close(self):
        self.sock.close()
