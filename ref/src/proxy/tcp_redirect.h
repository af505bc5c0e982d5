/*
 * Transparent TCP for managed proxy mode (--transparent-tcp): plain TCP
 * clients in the sandbox reach the SOCKS5 route without knowing of it.
 */
#ifndef CORDON_TCP_REDIRECT_H
#define CORDON_TCP_REDIRECT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Forks the redirector, then puts this process (and so the command it
 * starts) under the connect() filter whose notifications the redirector
 * serves, through the SOCKS5 forwarder at socks_port.  Before the command's own filter.  -1 and a message on failure.
 */
int tcp_redirect_start(uint16_t socks_port, char *err, size_t errlen);

#endif
