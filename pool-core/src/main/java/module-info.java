/**
 * Tidepool's core pools: {@link dev.tidepool.core.ResourcePool}, {@link dev.tidepool.core.TokenPool}
 * and the green-thread task limiter, built for virtual threads. No dependencies beyond the JDK.
 */
module dev.tidepool.core {
    exports dev.tidepool.core;
}
