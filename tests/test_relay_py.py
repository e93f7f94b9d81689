"""Unit tests for tools/relay.py: the copy of `x.py run`'s standard output."""

import os
import threading
import unittest

from tools import relay


class RelayTest(unittest.TestCase):
    def _relay_into_pipe(self, chunks: list[bytes], nonblocking: bool) -> bytes:
        """Appends `chunks` to a relay's file (as QEMU does, through its
        path) while the relay copies to a small pipe read a little at a
        time; returns what came out of the pipe."""
        read_end, write_end = os.pipe()
        if nonblocking:
            os.set_blocking(write_end, False)
        received = bytearray()

        def drain() -> None:
            while data := os.read(read_end, 4096):
                received.extend(data)

        reader = threading.Thread(target=drain)
        reader.start()
        copier = relay.Relay(write_end)
        copier.start()
        with open(copier.path, "ab", buffering=0) as qemu_side:
            for chunk in chunks:
                qemu_side.write(chunk)
        copier.finish()
        os.close(write_end)
        reader.join()
        os.close(read_end)
        return bytes(received)

    def test_every_byte_arrives_in_order_through_a_full_pipe(self):
        chunks = [bytes([n % 251]) * (n * 997 % 70000 + 1) for n in range(60)]
        self.assertEqual(self._relay_into_pipe(chunks, nonblocking=False),
                         b"".join(chunks))

    def test_a_nonblocking_destination_loses_nothing(self):
        chunks = [os.urandom(300_000) for _ in range(8)]
        self.assertEqual(self._relay_into_pipe(chunks, nonblocking=True),
                         b"".join(chunks))

    def test_a_reader_gone_ends_copying_without_an_error(self):
        read_end, write_end = os.pipe()
        os.close(read_end)
        copier = relay.Relay(write_end)
        copier.start()
        with open(copier.path, "ab", buffering=0) as qemu_side:
            qemu_side.write(b"x" * 100_000)
        copier.finish()
        os.close(write_end)
        self.assertEqual(copier.copied, 100_000)

    def test_copied_pages_are_freed(self):
        read_end, write_end = os.pipe()
        reader = threading.Thread(
            target=lambda: [None for _ in iter(lambda: os.read(read_end, 1 << 16), b"")])
        reader.start()
        copier = relay.Relay(write_end)
        copier.start()
        with open(copier.path, "ab", buffering=0) as qemu_side:
            qemu_side.write(b"y" * (4 << 20))
        copier._done.set()
        copier._thread.join()
        blocks = os.fstat(copier.fd).st_blocks
        os.close(copier.fd)
        os.close(write_end)
        reader.join()
        os.close(read_end)
        self.assertLess(blocks * 512, 1 << 20)


if __name__ == "__main__":
    unittest.main()
