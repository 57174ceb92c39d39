package org.gpt4j.spark;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A {@link RingAllReduce} of replicas that are threads of this JVM, joined over loopback TCP as
 * the barrier tasks join theirs: for the scaling benchmark and the ring's tests.
 */
final class LoopbackRing {

    private LoopbackRing() {
    }

    static List<RingAllReduce> join(int size, int timeoutMillis) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            ServerSocket s = RingAllReduce.listen("127.0.0.1");
            servers.add(s);
            addresses.add("127.0.0.1:" + s.getLocalPort());
        }
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            List<Future<RingAllReduce>> joined = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                int rank = r;
                joined.add(pool.submit(() -> RingAllReduce.connect(rank, addresses, servers.get(rank), timeoutMillis)));
            }
            List<RingAllReduce> ring = new ArrayList<>();
            for (Future<RingAllReduce> f : joined) {
                ring.add(f.get());
            }
            return ring;
        } finally {
            pool.shutdown();
            for (ServerSocket s : servers) {
                s.close();
            }
        }
    }
}
