from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=200)
    role = models.CharField(max_length=20)


class Visit(models.Model):
    page = models.CharField(max_length=500)
