from umka.school.selectors import current_school


def school(request):
    return {"school": current_school()}
