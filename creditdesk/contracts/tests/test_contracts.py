"""Contracts through the services: generation from an approved plan, the reviews, the key terms, signing and the
mortgage (CON-1…CON-4)."""

import hashlib
from decimal import Decimal

import pytest

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.contracts import services
from creditdesk.contracts.choices import KeyTerm
from creditdesk.contracts.models import ContractSignature
from creditdesk.contracts.reviews import contract_decide
from creditdesk.core.audit import events_for
from creditdesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.lending import selectors as lending
from creditdesk.vehicles.selectors import pledged_elsewhere


def reviewed(contract, bob, carol, erin):
    services.contract_submit(actor=contract.created_by, contract=contract)
    contract_decide(actor=bob, contract=contract, outcome="approve", opinion="要素与方案一致")
    contract_decide(actor=carol, contract=contract, outcome="approve", opinion="风险条款完整")
    contract_decide(actor=erin, contract=contract, outcome="approve", opinion="文本合规")
    return contract


def test_the_contract_freezes_the_plans_figures(approved, alice, business_on):
    """CON-1: number from the business date, text version, parties, vehicle, APR and the plan's own schedule."""
    plan = approved()
    contract = services.contract_generate(actor=alice, plan=plan)

    assert contract.number == "HT2027031500001"
    assert (contract.status, contract.text_version, contract.generated_on) == ("draft", "v1", business_on)
    snap = contract.snapshot
    assert snap["parties"]["borrower"]["customer_id"] == plan.application.customer_id
    assert snap["vehicle"]["vin"] == plan.application.vehicle.vin
    assert Decimal(snap["apr_nominal_rate"]) == plan.apr_nominal_rate == contract.apr_nominal_rate
    schedule = lending.schedule_of(plan)
    assert [row["total_amount"] for row in snap["schedule"]] == [str(i.total_amount) for i in schedule.instalments]
    assert contract.mortgage.status == "pending"
    assert events_for(contract).filter(event_type="contract.created").exists()


def test_the_next_contract_of_the_day_takes_the_next_number(approved, alice, business_on):
    first = services.contract_generate(actor=alice, plan=approved())
    second = services.contract_generate(actor=alice, plan=approved())
    assert (first.number, second.number) == ("HT2027031500001", "HT2027031500002")


def test_one_live_contract_per_approved_plan(approved, alice, bob, business_on):
    plan = approved()
    contract = services.contract_generate(actor=alice, plan=plan)
    with pytest.raises(Conflict) as err:
        services.contract_generate(actor=alice, plan=plan)
    assert (err.value.code, err.value.details) == ("contract_exists", {"contract_id": contract.pk})
    services.contract_cancel(actor=alice, contract=contract, comment="客户要求重新出具")
    assert services.contract_generate(actor=alice, plan=plan).status == "draft"


def test_only_an_approved_plan_gets_a_contract(alice, rater, business_on):
    from creditdesk.lending import services as plans
    from creditdesk.lending.tests.factories import rated_car_loan

    plan = plans.plan_create(actor=alice, application=rated_car_loan(alice, rater))
    with pytest.raises(Conflict) as err:
        services.contract_generate(actor=alice, plan=plan)
    assert err.value.code == "plan_not_approved"


def test_a_pledged_vin_secures_no_second_contract(approved, alice, business_on):
    """CON-4: the VIN of a live contract's mortgage is pledged elsewhere; a second contract on it is refused."""
    first = approved()
    contract = services.contract_generate(actor=alice, plan=first)
    vehicle = first.application.vehicle
    assert pledged_elsewhere(vehicle)
    second = approved()
    type(vehicle).objects.filter(pk=second.application.vehicle_id).update(vin=vehicle.vin)
    with pytest.raises(Conflict) as err:
        services.contract_generate(actor=alice, plan=second)
    assert err.value.code == "vehicle_pledged"
    services.contract_cancel(actor=alice, contract=contract, comment="取消")
    assert not pledged_elsewhere(vehicle)
    assert services.contract_generate(actor=alice, plan=second).mortgage.vin == vehicle.vin


def test_the_three_reviews_lead_to_ready_to_sign(approved, alice, bob, carol, erin, business_on):
    """CON-2: business → risk → legal, each with its opinion, each audited."""
    contract = reviewed(services.contract_generate(actor=alice, plan=approved()), bob, carol, erin)
    assert contract.status == "ready_to_sign"
    rows = [(r.stage, r.reviewer, r.opinion) for r in contract.reviews.order_by("id")]
    assert rows == [
        ("business_review", bob, "要素与方案一致"),
        ("risk_review", carol, "风险条款完整"),
        ("legal_review", erin, "文本合规"),
    ]
    assert events_for(contract).filter(event_type="contract.reviewed").count() == 3


def test_a_rejection_ends_the_contract(approved, alice, bob, carol, business_on):
    plan = approved()
    contract = services.contract_generate(actor=alice, plan=plan)
    services.contract_submit(actor=alice, contract=contract)
    contract_decide(actor=bob, contract=contract, outcome="approve", opinion="同意")
    contract_decide(actor=carol, contract=contract, outcome="reject", opinion="担保条款缺失")
    assert contract.status == "rejected"
    assert services.contract_generate(actor=alice, plan=plan).status == "draft"


def test_each_stage_is_its_roles_and_nobody_reviews_twice(approved, alice, bob, carol, erin, persona, business_on):
    contract = services.contract_generate(actor=alice, plan=approved())
    services.contract_submit(actor=alice, contract=contract)
    with pytest.raises(PermissionDenied) as err:
        contract_decide(actor=carol, contract=contract, outcome="approve", opinion="同意")
    assert err.value.code == "wrong_role"
    with pytest.raises(PermissionDenied):
        contract_decide(actor=alice, contract=contract, outcome="approve", opinion="同意")
    contract_decide(actor=bob, contract=contract, outcome="approve", opinion="同意")
    # Someone holding both the risk and the legal role reviews one stage only.
    both = UserFactory(username="rita", roles=[Role.RISK_OFFICER, Role.LEGAL])
    contract_decide(actor=both, contract=contract, outcome="approve", opinion="风险条款完整")
    with pytest.raises(PermissionDenied) as twice:
        contract_decide(actor=both, contract=contract, outcome="approve", opinion="文本合规")
    assert twice.value.code == "segregation_of_duties"


def test_the_salesperson_of_the_plan_never_reviews(approved, alice, bob, business_on):
    """Segregation of duties: a department head who generated the contract does not review it."""
    contract = services.contract_generate(actor=bob, plan=approved())
    services.contract_submit(actor=bob, contract=contract)
    with pytest.raises(PermissionDenied) as err:
        contract_decide(actor=bob, contract=contract, outcome="approve", opinion="同意")
    assert err.value.code == "segregation_of_duties"


def test_a_review_needs_an_outcome_and_an_opinion(approved, alice, bob, business_on):
    contract = services.contract_generate(actor=alice, plan=approved())
    services.contract_submit(actor=alice, contract=contract)
    with pytest.raises(ValidationFailed) as err:
        contract_decide(actor=bob, contract=contract, outcome="maybe", opinion=" ")
    assert set(err.value.fields) == {"outcome", "opinion"}


def test_signing_needs_every_key_term_then_signs_for_every_party(approved, alice, bob, carol, erin, business_on):
    """CON-3/CON-4: seven key terms ticked (who, when), then one signature per party, the signed PDF's SHA-256."""
    contract = reviewed(services.contract_generate(actor=alice, plan=approved()), bob, carol, erin)
    services.key_terms_explain(actor=alice, contract=contract, items=["rate", "apr"])
    with pytest.raises(Conflict) as err:
        services.contract_sign(actor=alice, contract=contract)
    assert err.value.code == "key_terms_incomplete"
    assert set(err.value.details["missing"]) == set(KeyTerm.values) - {"rate", "apr"}

    services.key_terms_explain(actor=alice, contract=contract, items=list(KeyTerm.values))
    assert [(k.explained_by, k.explained_on) for k in contract.key_terms.all()] == [(alice, business_on)] * 7
    services.contract_sign(actor=alice, contract=contract)

    assert (contract.status, contract.signed_on) == ("signed", business_on)
    assert contract.signed_pdf_sha256 == hashlib.sha256(bytes(contract.signed_pdf)).hexdigest()
    signature = ContractSignature.objects.get(contract=contract)
    assert (signature.role, signature.signer_id, signature.adapter) == (
        "borrower",
        contract.customer_id,
        "simulator",
    )
    assert signature.signature_id.startswith("SIM-")
    assert signature.signed_at.date() == business_on


def test_only_a_contract_ready_to_sign_is_signed(approved, alice, business_on):
    contract = services.contract_generate(actor=alice, plan=approved())
    with pytest.raises(InvalidTransition) as err:
        services.contract_sign(actor=alice, contract=contract)
    assert (err.value.status, err.value.code) == (409, "contract_not_ready")


def test_the_simulator_is_deterministic():
    import datetime as dt

    from creditdesk.contracts.esign import Signer, SimulatedESign

    at = dt.datetime(2027, 3, 15, 9, 30, tzinfo=dt.UTC)
    signers = [Signer("borrower", 1, "张三"), Signer("guarantor", 2, "李四")]
    first = SimulatedESign().sign(document=b"%PDF-1.7", reference="HT1", signers=signers, signed_at=at)
    again = SimulatedESign().sign(document=b"%PDF-1.7", reference="HT1", signers=signers, signed_at=at)
    assert first == again
    assert len(set(first.signature_ids)) == 2
