/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Halting the kernel.  The reboot(2) commands are the Linux values; the
 * kernel's internal flags are the RB_* values below.
 */

#ifndef _SYS_REBOOT_H_
#define _SYS_REBOOT_H_

/* reboot(2) commands (Linux). */
#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xcdef0123
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedc
#define LINUX_REBOOT_CMD_RESTART2	0xa1b2c3d4
#define LINUX_REBOOT_CMD_SW_SUSPEND	0xd000fce2
#define LINUX_REBOOT_CMD_KEXEC		0x45584543
/* This kernel's addition: halt without syncing file systems. */
#define REBOOT_CMD_HALT_NOSYNC		0x6e6f7379

/* cpu_reboot flags and boot flags (boothowto). */
#define RB_AUTOBOOT	0x0000
#define RB_NOSYNC	0x0004
#define RB_HALT		0x0008
#define RB_DUMP		0x0100
#define RB_POWERDOWN	(RB_HALT | 0x0800)

#define AB_NORMAL	0x00000
#define AB_QUIET	0x10000
#define AB_VERBOSE	0x20000
#define AB_SILENT	0x40000
#define AB_DEBUG	0x80000

#endif /* _SYS_REBOOT_H_ */
