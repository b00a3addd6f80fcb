"""The local AWS daemon: moto's server app wrapped in our shims, on 127.0.0.1.

Started by generator.localaws.server through generator.runner as
`python -m generator.localaws.launcher --port-file FILE`; binds a free port itself (no race
between choosing and binding) and writes it to FILE once it accepts connections.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

HOST = "127.0.0.1"

# moto's state manager advances these models only on request ("manual"); "immediate" makes
# them ready on the first describe. In moto 5.2 ALB, RDS instances and NAT gateways are not
# state-managed: RDS and NAT are created available, the ALB is made active by a shim
# (shims.patch_models); ECS tasks are the state-managed model the stack can start.
IMMEDIATE_MODELS = ("ecs::task",)


def build_app() -> object:
    """moto's dispatcher app with our shims and immediate state transitions."""
    from moto.moto_api import state_manager
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from generator.localaws.production_shims import patch_production_models
    from generator.localaws.shims import ShimMiddleware, patch_models

    patch_models()
    patch_production_models()
    for model in IMMEDIATE_MODELS:
        state_manager.set_transition(model_name=model, transition={"progression": "immediate"})
    return ShimMiddleware(DomainDispatcherApplication(create_backend_app))


def serve(port_file: Path, port: int = 0) -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import make_server

    server = make_server(HOST, port, build_app(), threaded=True,  # type: ignore[arg-type]
                         request_handler=MotoRequestHandler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    tmp = port_file.with_suffix(".tmp")
    tmp.write_text(str(server.server_address[1]))
    os.replace(tmp, port_file)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port-file", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    # moto otherwise loads thousands of sample AMIs per region on first EC2 call (seconds
    # each); nothing the modules create needs them.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    from generator.localaws.production_shims import MANAGED_POLICY_SETTINGS

    for key, value in MANAGED_POLICY_SETTINGS.items():  # AWS-managed IAM policies (RDS monitoring role)
        os.environ.setdefault(key, value)
    try:
        serve(args.port_file, args.port)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
