package dev.tidepool.core;

/**
 * Leading padding for a field group that must sit on a cache line of its own. The JVM lays out a
 * superclass's fields before a subclass's, so a class that extends this one gets 64 bytes of
 * padding before its fields; it then declares its own trailing padding. Used where one thread
 * writes on every operation and other threads read neighbouring fields on every operation (a
 * spawner's list head against task ends, a map reader's position against its feeder).
 */
abstract class LinePad {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}
