"""The only package that talks to the network: polite fetching and council site adapters."""
