package dev.keiko.api.hostile;

/**
 * One hostile request and the 4xx it must answer.
 *
 * @param name what the request is, as the test report shows it
 * @param status the status it must answer
 */
record HostileCase(String name, int status, HostileRequest request) {

    static HostileCase refused(int status, String name, HostileRequest request) {
        return new HostileCase(name, status, request);
    }

    @Override
    public String toString() {
        return status + " " + name;
    }
}
