"""Rendering: env configs -> cdktf synth -> pure HCL emitter -> atomic writer, and the synth --check cache."""
