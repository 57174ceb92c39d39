package org.gpt4j.generate.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records what a completion's listener hears, for tests. */
final class Recorder implements CompletionListener {

    final Map<Integer, StringBuilder> text = new ConcurrentHashMap<>();
    final Map<Integer, List<TokenLogprob>> tokens = new ConcurrentHashMap<>();
    final Map<Integer, String> finish = new ConcurrentHashMap<>();
    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile List<TokenLogprob> prompt;
    volatile Usage usage;
    volatile RuntimeException error;
    private final CountDownLatch done = new CountDownLatch(1);
    /** When set, each delta waits for it: a slow client that keeps its request running. */
    volatile CountDownLatch gate;

    @Override
    public void onPrompt(List<TokenLogprob> prompt) {
        this.prompt = prompt;
        events.add("prompt");
    }

    @Override
    public void onDelta(int choice, String delta, List<TokenLogprob> t) {
        if (finish.containsKey(choice)) {
            throw new AssertionError("delta after finish");
        }
        text.computeIfAbsent(choice, k -> new StringBuilder()).append(delta);
        tokens.computeIfAbsent(choice, k -> new ArrayList<>()).addAll(t);
        events.add("delta " + choice);
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void onFinish(int choice, String reason) {
        finish.put(choice, reason);
        events.add("finish " + choice);
    }

    @Override
    public void onComplete(Usage usage) {
        this.usage = usage;
        events.add("complete");
        done.countDown();
    }

    @Override
    public void onError(RuntimeException error) {
        this.error = error;
        done.countDown();
    }

    Recorder await() throws InterruptedException {
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the completion did not end");
        }
        if (error != null) {
            throw new AssertionError("the completion failed", error);
        }
        return this;
    }

    String text(int choice) {
        StringBuilder s = text.get(choice);
        return s == null ? "" : s.toString();
    }

    int[] ids(int choice) {
        return tokens.getOrDefault(choice, List.of()).stream().mapToInt(TokenLogprob::id).toArray();
    }
}
