"""Step 6.2 of the lab: automated tests of the deployed app, through the load balancer.

Run with:  ALB_URL=http://<your-alb-dns-name> pytest examples/submission
"""
import os

import requests

BASE_URL = os.environ.get("ALB_URL", "http://localhost:8000").rstrip("/")


def test_health():
    response = requests.get(f"{BASE_URL}/health", timeout=10)
    assert response.status_code == 200


def test_docs():
    response = requests.get(f"{BASE_URL}/docs", timeout=10)
    assert response.status_code == 200


def test_predict_positive():
    response = requests.post(f"{BASE_URL}/predict", json={"text": "I love this, it is wonderful!"}, timeout=10)
    assert response.status_code == 200
    assert response.json()["prediction"] == "positive"


def test_predict_negative():
    response = requests.post(f"{BASE_URL}/predict", json={"text": "This is terrible, I hate it."}, timeout=10)
    assert response.status_code == 200
    assert response.json()["prediction"] == "negative"
