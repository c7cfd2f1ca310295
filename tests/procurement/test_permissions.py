"""Every role × action of the procurement workflow, on an object of the user's own and of someone else's."""
import pytest

from openftz.procurement.permissions import Action, can, role_of

from .conftest import awarded_procedure

A = Action
# role → actions allowed on its own objects (officer: its entity's; supplier: its own challenges/debriefings)
ALLOWED_OWN = {
    "officer": {A.VIEW_PROCEDURE, A.CREATE_PROCEDURE, A.ADD_RELEASE, A.MARK_CONFIDENTIAL, A.VIEW_CHALLENGE, A.STATE_ON_CHALLENGE,
                A.VIEW_DEBRIEFING, A.ANSWER_DEBRIEFING, A.VIEW_DEBARMENTS, A.RECORD_DEBARMENT, A.EXCLUDE_SUPPLIER, A.VIEW_AUDIT},
    "beta": {A.VIEW_PROCEDURE, A.FILE_CHALLENGE, A.VIEW_CHALLENGE, A.WITHDRAW_CHALLENGE, A.REQUEST_DEBRIEFING,
             A.VIEW_DEBRIEFING, A.VIEW_DEBARMENTS},
    "review": {A.VIEW_PROCEDURE, A.VIEW_CHALLENGE, A.ROUTE_CHALLENGE, A.DECIDE_CHALLENGE, A.VIEW_DEBRIEFING,
               A.VIEW_DEBARMENTS, A.VIEW_AUDIT},
    "supervisor": {A.VIEW_PROCEDURE, A.VIEW_CHALLENGE, A.VIEW_DEBRIEFING, A.VIEW_DEBARMENTS, A.VIEW_AUDIT},
    "root": {A.VIEW_PROCEDURE, A.VIEW_CHALLENGE, A.VIEW_DEBRIEFING, A.VIEW_DEBARMENTS, A.VIEW_AUDIT, A.DESTROY_EXPIRED},
    "nobody": {A.VIEW_PROCEDURE},
    "anonymous": {A.VIEW_PROCEDURE},
}
# …and on another's: an officer of another entity, another supplier
ALLOWED_OTHERS = {
    "other_officer": {A.VIEW_PROCEDURE, A.VIEW_DEBARMENTS},
    "alpha": {A.VIEW_PROCEDURE, A.FILE_CHALLENGE, A.REQUEST_DEBRIEFING},
}
ROLES = {"officer": "entity_officer", "other_officer": "entity_officer", "alpha": "supplier", "beta": "supplier",
         "review": "review_body", "supervisor": "supervisor", "root": "supervisor", "nobody": "public", "anonymous": "public"}


@pytest.fixture
def objects(world):
    from openftz.procurement import services

    procedure = awarded_procedure(world)
    u = world["users"]
    challenge = services.challenge_file(actor=u["beta"], procedure=procedure, grounds="x", knew_on=procedure.started_on,
                                        when=procedure.created_at)
    debriefing = services.debriefing_request(actor=u["beta"], procedure=procedure)
    debarment = services.debarment_record(actor=u["officer"], supplier_id="beta-med", entity_id="ftz-hospital",
                                          contract_reference="HT-1", breach_on=procedure.started_on,
                                          decided_on=procedure.started_on, grounds="违约")
    return {A.VIEW_PROCEDURE: procedure, A.CREATE_PROCEDURE: world["entity"], A.ADD_RELEASE: procedure,
            A.MARK_CONFIDENTIAL: procedure, A.FILE_CHALLENGE: procedure, A.VIEW_CHALLENGE: challenge,
            A.WITHDRAW_CHALLENGE: challenge, A.STATE_ON_CHALLENGE: challenge, A.ROUTE_CHALLENGE: challenge,
            A.DECIDE_CHALLENGE: challenge, A.REQUEST_DEBRIEFING: procedure, A.VIEW_DEBRIEFING: debriefing,
            A.ANSWER_DEBRIEFING: debriefing, A.VIEW_DEBARMENTS: debarment, A.RECORD_DEBARMENT: world["entity"],
            A.EXCLUDE_SUPPLIER: procedure, A.VIEW_AUDIT: procedure, A.DESTROY_EXPIRED: procedure}


def _user(world, who):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if who == "anonymous" else world["users"][who]


@pytest.mark.parametrize("who", sorted(ROLES))
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_permission_matrix(world, objects, who, action):
    user = _user(world, who)
    allowed = (ALLOWED_OWN | ALLOWED_OTHERS)[who]
    assert role_of(user) == ROLES[who]
    assert can(user, action, objects[action]) == (action in allowed)


def test_every_action_is_in_the_matrix():
    assert set().union(*ALLOWED_OWN.values()) == set(Action)
