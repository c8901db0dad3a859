"""OSC: the protocol table, the byte-level dispatcher, the UDP server, output ports."""
