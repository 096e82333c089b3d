"""`searchsvc alerts list|send|delete`: the operator's view of email alerts.

Addresses are printed masked unless ``--show-addresses`` is given: terminal scrollback and
pasted bug reports are logs too. ``send`` takes the digest step's own lock (``alerts.lock``), so
it never runs beside the nightly job's digest step (which would send twice).
"""

from __future__ import annotations

import json

import click

from searchsvc.alerts.addresses import mask, normalize_address
from searchsvc.alerts.errors import AlertError
from searchsvc.alerts.settings import alert_settings
from searchsvc.alerts.store import AlertStore


@click.group("alerts")
def alerts_group() -> None:
    """Email alerts: list them, send the digests now, delete an address."""


@alerts_group.command("list")
@click.option("--show-addresses", is_flag=True, help="Print addresses in full (masked by default).")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of lines.")
@click.pass_obj
def list_cmd(state, show_addresses: bool, as_json: bool) -> None:
    """Every address with its alerts (confirmed or pending), frequency and last batch reported."""
    settings = alert_settings(state.config)
    with AlertStore(settings.store_path) as store:
        rows = [{"address": sub.email if show_addresses else mask(sub.email), "failures": sub.failures,
                 "last_error": sub.last_error,
                 "alerts": [{"id": a.id, "label": a.label, "query": a.query, "frequency": a.frequency,
                             "confirmed": a.confirmed, "last_batch": a.last_batch, "last_sent_at": a.last_sent_at}
                            for a in store.alerts_of(sub.id)]} for sub in store.subscribers()]
        counts = store.counts()
    if as_json:
        click.echo(json.dumps({"counts": counts, "addresses": rows}, indent=2, ensure_ascii=False))
        return
    for row in rows:
        failing = f"  (last {row['failures']} deliveries failed: {row['last_error']})" if row["failures"] else ""
        click.echo(f"{row['address']}{failing}")
        for a in row["alerts"]:
            state_ = "confirmed" if a["confirmed"] else "pending"
            click.echo(f"  #{a['id']} {a['label']} [{a['frequency']}, {state_}, after batch {a['last_batch']}]")
    click.echo(f"{counts['addresses']} addresses, {counts['confirmed']} confirmed alerts, "
               f"{counts['pending']} pending", err=True)


@alerts_group.command("send")
@click.option("--dry-run", is_flag=True, help="Build the digests and say what would be sent; send and change nothing.")
@click.option("--wait", type=float, default=0.0, show_default=True, help="Seconds to wait for a running digest step.")
@click.pass_obj
def send_cmd(state, dry_run: bool, wait: float) -> None:
    """Send the due digests now (what the nightly job does after indexing)."""
    from searchsvc.alerts.run import record_run, send_digests, send_lock
    from searchsvc.catalog import Catalog

    config = state.config
    if not config["alerts.enabled"] and not dry_run:
        raise AlertError("alerts are not enabled ([alerts] enabled = true in the configuration)")
    with send_lock(config.data_dir, wait):
        if dry_run:
            report = send_digests(config, dry_run=True)
        else:
            with Catalog.in_dir(config.data_dir) as catalog:
                report = record_run(catalog, config)
    for address, alerts, items in report.planned:
        click.echo(f"{address}: {alerts} alerts, {items} new items")
    for error in report.errors:
        click.echo(f"error: {error['error']}", err=True)
    click.echo(report.summary(), err=True)
    if report.errors and not dry_run and report.status == "failed":
        raise click.exceptions.Exit(1)


@alerts_group.command("delete")
@click.argument("email")
@click.pass_obj
def delete_cmd(state, email: str) -> None:
    """Delete an address and every alert it follows (what its "delete all" link does)."""
    address = normalize_address(email)
    settings = alert_settings(state.config)
    with AlertStore(settings.store_path) as store:
        sub = store.subscriber_by_email(address)
        if sub is None:
            raise AlertError(f"no alerts for {mask(address)}")
        n = len(store.alerts_of(sub.id))
        store.delete_subscriber(sub.id)
    click.echo(f"deleted {mask(sub.email)} and its {n} alert{'s' if n != 1 else ''}")
