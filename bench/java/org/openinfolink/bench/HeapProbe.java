package org.openinfolink.bench;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Watches the heap of another JVM on this machine (the server's Tomcat): attaches with the JDK
 * attach API, starts that JVM's local JMX agent and reads its memory pools through JMX.
 *
 * <p>The peak is the sum, over the heap pools (G1: eden, survivor, old), of each pool's peak
 * usage since the last {@link #resetPeaks()}. The pools peak at different moments, so the sum is
 * an upper bound of the heap that was in use at any one time; it is the figure that cannot
 * understate the server's needs. {@link #peakOldGenBytes()} is the old generation alone: what
 * survived collections, which is where a result held in memory would show.
 *
 * <p>Owned by one thread; {@link #close()} closes the JMX connection and leaves the watched JVM
 * running (its agent stays, listening on loopback only).
 */
final class HeapProbe implements AutoCloseable {

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final List<MemoryPoolMXBean> heapPools;

    private HeapProbe(JMXConnector connector, MemoryMXBean memory, List<MemoryPoolMXBean> heapPools) {
        this.connector = connector;
        this.memory = memory;
        this.heapPools = heapPools;
    }

    /** Attaches to the JVM with process id {@code pid} and connects to its platform MBeans. */
    static HeapProbe attach(long pid) throws IOException {
        String address;
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("Cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        }
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        try {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connection,
                    ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            List<MemoryPoolMXBean> heapPools = ManagementFactory
                    .getPlatformMXBeans(connection, MemoryPoolMXBean.class).stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .toList();
            if (heapPools.isEmpty()) {
                throw new IOException("JVM " + pid + " reports no heap memory pool");
            }
            return new HeapProbe(connector, memory, heapPools);
        } catch (IOException | RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    /**
     * Runs a full collection in the watched JVM (so a measurement starts from its live data, not
     * from the garbage of the previous one), then resets the peak of every heap pool.
     */
    void resetPeaks() {
        memory.gc();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peaks since {@link #resetPeaks()}. */
    long peakHeapBytes() {
        return heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** The peak of the old generation (tenured) pool since {@link #resetPeaks()}; 0 if none. */
    long peakOldGenBytes() {
        return heapPools.stream()
                .filter(pool -> pool.getName().contains("Old Gen") || pool.getName().contains("Tenured"))
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    /** The most heap the JVM may use, its {@code -Xmx}. */
    long maxHeapBytes() {
        return memory.getHeapMemoryUsage().getMax();
    }

    /** The names of the heap pools, for the report. */
    List<String> poolNames() {
        return heapPools.stream().map(MemoryPoolMXBean::getName).toList();
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
