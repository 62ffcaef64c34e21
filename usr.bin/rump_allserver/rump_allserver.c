/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump_allserver: rump_server with every component linked in (see the
 * LIBS file), so that no -l is needed.
 */

#define SERVER_NAME	"rump_allserver"
#include "../rump_server/rump_server.c"
