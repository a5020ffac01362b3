"""Thin Celery tasks: load by id, call the service."""

from celery import shared_task


@shared_task(acks_late=True)
def build_board_pack(pack_id: int) -> str:
    from oversight.services import board_pack_build  # the service imports us

    return board_pack_build(pack_id=pack_id).status
