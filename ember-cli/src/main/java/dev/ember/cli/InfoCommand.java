package dev.ember.cli;

import dev.ember.Ember;
import picocli.CommandLine.Command;

/** {@code ember info}: version, JDK, SIMD width and threads. */
@Command(name = "info", description = "Print the Ember version, JDK, SIMD width in use and thread count.")
final class InfoCommand implements Runnable {
    @Override
    public void run() {
        int bits = Ember.simdBits();
        System.out.println("ember    " + Ember.VERSION);
        System.out.println("java     " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        System.out.println("simd     " + (bits == 0 ? "off (start with --add-modules jdk.incubator.vector)"
                : bits + "-bit vectors (" + bits / 32 + " floats) via the Vector API"));
        System.out.println("threads  " + Ember.threads() + " (of " + Runtime.getRuntime().availableProcessors()
                + " processors; set EMBER_NUM_THREADS or --threads)");
        System.out.println("devices  cpu");
    }
}
