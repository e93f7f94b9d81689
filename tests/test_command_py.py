"""Unit tests for tools/command.py: running and echoing commands."""

import contextlib
import io
import signal
import unittest

from tools import command


class EchoTest(unittest.TestCase):
    def tearDown(self):
        command.set_echo(True)

    def test_a_command_is_echoed_before_it_runs(self):
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            command.echo(["cc", "-o", 1])
        self.assertEqual(shown.getvalue(), "+ cc -o 1\n")

    def test_quiet_echoes_nothing(self):
        command.set_echo(False)
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            command.run(["true"])
        self.assertEqual(shown.getvalue(), "")

    def test_a_failing_command_raises_with_its_exit_code(self):
        command.set_echo(False)
        with self.assertRaises(command.StepFailed) as raised:
            command.run(["sh", "-c", "exit 3"])
        self.assertEqual(raised.exception.code, 3)
        self.assertIsInstance(raised.exception, RuntimeError)

    def test_commands_run_in_the_repository_root(self):
        command.set_echo(False)
        out = command.run(["pwd"], capture_output=True, text=True).stdout
        self.assertEqual(out.strip(), str(command.ROOT))


class SignalStateTest(unittest.TestCase):
    def test_inherited_ignored_signals_and_mask_are_reset(self):
        saved = signal.getsignal(signal.SIGUSR1)
        saved_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
        try:
            signal.signal(signal.SIGUSR1, signal.SIG_IGN)
            command.reset_inherited_signal_state()
            self.assertEqual(signal.getsignal(signal.SIGUSR1), signal.SIG_DFL)
            self.assertNotIn(signal.SIGUSR2,
                             signal.pthread_sigmask(signal.SIG_BLOCK, set()))
        finally:
            signal.signal(signal.SIGUSR1, saved)
            signal.pthread_sigmask(signal.SIG_SETMASK, saved_mask)


if __name__ == "__main__":
    unittest.main()
