package org.gpt4j.evaluate.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile samples are contained and reported, and the evaluation carries on; HumanEval's own
 * solutions pass and empty completions fail. Needs python3 and prlimit; the tests that rely on
 * own-user isolation run where the suite runs as root (CI, containers).
 */
class SandboxTest {

    private static Sandbox sandbox;

    @BeforeAll
    static void create() {
        boolean python;
        try {
            python = new ProcessBuilder("python3", "-c", "pass").start().waitFor() == 0;
        } catch (Exception e) {
            python = false;
        }
        assumeTrue(python, "python3 is not installed");
        sandbox = Sandbox.create(SandboxLimits.defaults().withTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static Sandbox.SampleOutcome run(String program) {
        return sandbox.run(program, 0);
    }

    @Test
    void passingAndFailingPrograms() {
        assertThat(run("assert 1 + 1 == 2\n").result()).isEqualTo("passed");
        assertThat(run("assert 1 + 1 == 3\n").result()).isEqualTo("failed: AssertionError");
        assertThat(run("def f(:\n").result()).startsWith("failed: SyntaxError");
        assertThat(run("import sys\nsys.exit(3)\n").result()).isEqualTo("failed: exit status 3");
    }

    @Test
    void anEndlessLoopTimesOut() {
        Sandbox.SampleOutcome o = run("while True:\n    pass\n");
        assertThat(o.result()).startsWith("timed out");
        assertThat(o.nanos()).isLessThan(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void aHugeAllocationFailsWithMemoryError() {
        assertThat(run("x = bytearray(10 * 1024 ** 3)\n").result()).isEqualTo("failed: MemoryError");
    }

    @Test
    void printingAGigabyteIsCutOff() {
        Sandbox.SampleOutcome o = run("import sys\nfor _ in range(1 << 20):\n    sys.stdout.write('x' * 1024)\n");
        assertThat(o.passed()).isFalse();
        assertThat(o.result()).contains("output limit");
    }

    @Test
    void stdinIsClosedAndTheEnvironmentScrubbed() {
        assertThat(run("import sys, os\nassert sys.stdin.read() == ''\nassert 'JAVA_HOME' not in os.environ\n").result())
                .isEqualTo("passed");
    }

    @Test
    void aForkBombIsContainedAndCleanedUp() throws Exception {
        assumeTrue(sandbox.notIsolated().isEmpty(), "own-user isolation needs root");
        Sandbox.SampleOutcome o = run("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n");
        assertThat(o.passed()).isFalse();
        assertThat(new ProcessBuilder("pgrep", "-U", Integer.toString(Sandbox.FIRST_UID)).start().waitFor())
                .as("no process of the sample's user is left").isEqualTo(1);
    }

    @Test
    void detachedProcessesAreKilledAndFilesOutsideAreRemoved() throws Exception {
        assumeTrue(sandbox.notIsolated().isEmpty(), "own-user isolation needs root");
        String marker = "gpt4j-sandbox-test-" + ProcessHandle.current().pid();
        Sandbox.SampleOutcome o = run("import os, subprocess\n"
                + "open('/tmp/" + marker + "', 'w').write('x')\n"
                + "subprocess.Popen(['sleep', '60'], start_new_session=True)\n"
                + "try:\n    open('/etc/gpt4j-evil', 'w')\nexcept PermissionError:\n    pass\nelse:\n    raise SystemExit(9)\n");
        assertThat(o.result()).isEqualTo("passed");
        assertThat(Files.exists(Path.of("/tmp/" + marker))).isFalse();
        assertThat(Files.exists(Path.of("/etc/gpt4j-evil"))).isFalse();
        assertThat(new ProcessBuilder("pgrep", "-U", Integer.toString(Sandbox.FIRST_UID)).start().waitFor()).isEqualTo(1);
    }

    @Test
    void theNetworkIsUnreachableAndTheParentSafe() {
        assumeTrue(sandbox.notIsolated().isEmpty(), "own-user isolation needs root");
        assertThat(run("import socket\ns = socket.socket()\ntry:\n    s.connect(('1.1.1.1', 80))\nexcept OSError:\n"
                + "    raise SystemExit(0)\nraise SystemExit(1)\n").result()).isEqualTo("passed");
        assertThat(run("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n").result())
                .startsWith("failed: PermissionError");
    }

    @Test
    void humanEvalsSolutionsPassAndEmptyCompletionsFail() {
        // Every 8th problem keeps the suite quick; `gpt4j code eval` runs all 164 (README).
        Map<String, CodeProblem> problems = new java.util.LinkedHashMap<>();
        int i = 0;
        for (CodeProblem p : CodeJsonl.problems(CodeJsonlTest.humanEval()).values()) {
            if (i++ % 8 == 0) {
                problems.put(p.taskId(), p);
            }
        }
        List<CodeSample> samples = new ArrayList<>();
        for (CodeProblem p : problems.values()) {
            samples.add(new CodeSample(p.taskId(), p.reference()));
            samples.add(new CodeSample(p.taskId(), ""));
        }
        FunctionalCorrectness eval = new FunctionalCorrectness(sandbox, Math.max(2, Runtime.getRuntime().availableProcessors()));
        List<SampleResult> results = eval.run(problems, samples, done -> { });
        long canonical = results.stream().filter(r -> !r.sample().completion().isEmpty() && r.passed()).count();
        long empty = results.stream().filter(r -> r.sample().completion().isEmpty() && r.passed()).count();
        assertThat(canonical).isEqualTo(problems.size()).isEqualTo(21);
        assertThat(empty).isZero();
        assertThat(FunctionalCorrectness.passAtK(results, List.of(1, 2))).containsEntry(1, 0.5).containsEntry(2, 1.0);
    }
}
