package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Finds the VarHandles behind the pools' lock-free fields. */
final class VarHandles {
    private VarHandles() {
    }

    /** The handle of field {@code name}; {@code lookup} must come from the field's own class. */
    static VarHandle find(MethodHandles.Lookup lookup, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
