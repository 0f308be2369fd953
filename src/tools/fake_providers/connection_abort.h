#pragma once

namespace envmon::fake_providers {

// The server-side socket of the TCP connection between local port `local_port` and the peer
// at `remote_port`, or -1. cpp-httplib gives handlers no socket, so it is found by addresses.
int find_connection(int local_port, int remote_port);

// Ends the connection so the client gets no response at all (empty reply, then a reset).
void cut_connection(int fd);

}  // namespace envmon::fake_providers
