package dev.tidepool.jmx;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardEmitterMBean;

/**
 * What is registered on the MBeanServer for a {@link PoolBean}: the bean as an MXBean, with the
 * descriptions and parameter names JConsole shows (plain MXBean introspection would say
 * "Attribute exposed for management" and {@code p0}), and a hook that tells the
 * {@link Registration} when anyone unregisters it, so it stops listening to the pool.
 */
final class DescribedMXBean extends StandardEmitterMBean {
    private final PoolBean bean;
    private final Registration registration;

    private <T> DescribedMXBean(T bean, Class<T> mxbeanInterface, PoolBean poolBean, Registration registration) {
        super(bean, mxbeanInterface, true, poolBean);
        this.bean = poolBean;
        this.registration = registration;
    }

    static DescribedMXBean of(PoolBean bean, Registration registration) {
        return create(bean, bean.mxbeanInterface(), registration);
    }

    private static <T> DescribedMXBean create(PoolBean bean, Class<T> mxbeanInterface, Registration registration) {
        return new DescribedMXBean(mxbeanInterface.cast(bean), mxbeanInterface, bean, registration);
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        return "Tidepool " + bean.objectName().getKeyProperty("type") + " \"" + bean.poolName() + "\"";
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        return bean.descriptions().getOrDefault(info.getName(), super.getDescription(info));
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        return bean.descriptions().getOrDefault(info.getName(), super.getDescription(info));
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return bean.parameterName(op.getName(), sequence);
    }

    @Override
    public void postDeregister() {
        super.postDeregister();
        // Whoever unregistered it (the pool closing, Registration.close(), a JMX client calling
        // unregisterMBean), the pool need not feed this bean any longer.
        registration.deregistered();
    }
}
