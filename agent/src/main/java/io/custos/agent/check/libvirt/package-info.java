/**
 * The {@code libvirt} check: the domains of a KVM/QEMU host through {@code virsh domstats}. Depends
 * only on {@code io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.libvirt;
